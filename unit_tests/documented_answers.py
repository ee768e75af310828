"""LinkedIn's answers as its documentation (or production code that calls the endpoint) shows them, one per
resource the engagement and names streams read. The streams are tested on these, not on the emulator's output,
and the emulator's answers are checked against them (integration_tests/test_emulator_rules.py), so that neither
can drift from LinkedIn's shape. Each names its source; where LinkedIn's page shows no sample, the source is the
production code whose field names it takes (values are invented there), and the uncertain part has a variant."""

# --- Standardized data -------------------------------------------------------------------------------------

# "Seniorities", learn.microsoft.com/linkedin/shared/references/v2/standardized-data/seniorities: "Supported
# Methods GET | GET_ALL" (no BATCH_GET); its GET_ALL sample, first element (the page's own text).
SENIORITIES_GET_ALL = {
    "elements": [
        {"name": {"localized": {"en_US": "Unpaid"}}, "id": 1, "$URN": "urn:li:seniority:1"},
        {"name": {"localized": {"en_US": "Training"}}, "id": 2, "$URN": "urn:li:seniority:2"},
    ]
}

# "Industries", learn.microsoft.com/linkedin/shared/references/v2/standardized-data/industries, BATCH_GET sample;
# "Industry Taxonomy Versions" (…/standardized-data/industrytaxonomyversions) serves elements of the same shape
# ("Supported Methods GET | BATCH_GET | GET_ALL"; "DEFAULT points to the latest version").
INDUSTRIES_BATCH_GET = {
    "statuses": {},
    "results": {
        "22": {"name": {"localized": {"en_US": "Supermarkets"}}, "id": 22, "$URN": "urn:li:industry:22"},
        "23": {"name": {"localized": {"en_US": "Food Production"}}, "id": 23, "$URN": "urn:li:industry:23"},
    },
}

# "Geo", learn.microsoft.com/linkedin/shared/references/v2/standardized-data/locations/geo: "Supported Methods
# GET | BATCH_GET"; its GET sample's element (no $URN, no name: defaultLocalizedName), in a BATCH_GET answer.
GEO_BATCH_GET = {
    "statuses": {},
    "results": {
        "104565322": {
            "defaultLocalizedName": {
                "locale": {"country": "US", "language": "en"},
                "value": "San Francisco Bay Area",
            },
            "id": 104565322,
        }
    },
}

# --- Engagement ----------------------------------------------------------------------------------------------

# videoAnalytics: LinkedIn's sample is not in reach; production code reads each element as {entity,
# statisticsType, timeRange, value}: 247GradLabs/LinkedInNET src/LinkedInApiV2.xml (VideoAnalyticsElement), and a
# pipeline that renames `statisticsType` to `statistics_type`. Values invented.
VIDEO_ANALYTICS = {
    "paging": {"start": 0, "count": 10, "links": []},
    "elements": [
        {
            "entity": "urn:li:ugcPost:6597427803369168896",
            "statisticsType": "VIDEO_VIEW",
            "timeRange": {"start": 1573027200000, "end": 1573113600000},
            "value": 2,
        }
    ],
}
# The variant a client would guess from the request's parameter name.
VIDEO_ANALYTICS_NAMED_TYPE = {
    "paging": {"start": 0, "count": 10, "links": []},
    "elements": [{"entity": "urn:li:ugcPost:6597427803369168896", "type": "VIDEO_VIEW", "value": 2}],
}

# A comment, as the "Comments API" page (learn.microsoft.com/linkedin/marketing/community-management/shares/
# comments-api) lists its fields: actor, commentUrn, created, id, lastModified, likesSummary, message, object; the
# comment URN is built on the post's activity ("A commentUrn is a composite URN constructed using a comment ID and
# activityUrn", PipedreamHQ/pipedream components/linkedin/actions/retrieve-comments-on-comments, quoting the page).
# No sample shows commentsSummary on a comment.
COMMENT = {
    "actor": "urn:li:person:CnpTkB7V70",
    "commentUrn": "urn:li:comment:(urn:li:activity:6641861161010679808,6643206422739898368)",
    "created": {"actor": "urn:li:person:CnpTkB7V70", "time": 1583863835990},
    "id": "6643206422739898368",
    "lastModified": {"actor": "urn:li:person:CnpTkB7V70", "time": 1583863835991},
    "likesSummary": {
        "selectedLikes": [],
        "aggregatedTotalLikes": 0,
        "likedByCurrentUser": False,
        "totalLikes": 0,
    },
    "message": {"attributes": [], "text": "Great insights"},
    "object": "urn:li:activity:6641861161010679808",
}
# The older shape: ebx/ebx-linkedin-sdk src/test/resources/com.echobox.api.linkedin.jsonmapper/commentResponse.json
# ($URN, no commentUrn).
COMMENT_WITH_URN_KEY = {
    "actor": "urn:li:organization:5637409",
    "created": {"actor": "urn:li:organization:5637409", "time": 1583863835990},
    "id": "6643206422739898369",
    "lastModified": {"actor": "urn:li:organization:5637409", "time": 1583863835991},
    "message": {"attributes": [], "text": "commentV2 with image urn"},
    "$URN": "urn:li:comment:(urn:li:activity:6641861161010679808,6643206422739898369)",
    "object": "urn:li:activity:6641861161010679808",
}
# The variant production code models (a KiwiQ LinkedIn client's Comment: "Summary of nested comments if this is a
# top-level comment").
COMMENT_WITH_SUMMARY = {
    **COMMENT,
    "commentUrn": "urn:li:comment:(urn:li:activity:6641861161010679808,6643206422739898370)",
    "id": "6643206422739898370",
    "commentsSummary": {"selectedComments": [], "aggregatedTotalComments": 0, "totalFirstLevelComments": 0},
}

# socialMetadata BATCH_GET: LinkedIn's sample is not in reach; the fields as production code reads them
# (reactionSummaries {type: {reactionType, count}}, commentSummary {count, topLevelCount}, commentsState, entity;
# a KiwiQ client's SocialMetadata model). `count` counts replies too, `topLevelCount` does not.
SOCIAL_METADATA = {
    "results": {
        "urn:li:share:7300938514823618560": {
            "entity": "urn:li:share:7300938514823618560",
            "reactionSummaries": {"LIKE": {"reactionType": "LIKE", "count": 3}},
            "commentSummary": {"count": 2, "topLevelCount": 1},
            "commentsState": "OPEN",
        }
    },
    "statuses": {},
    "errors": {},
}

# --- OAuth ---------------------------------------------------------------------------------------------------

# "Token Introspection", learn.microsoft.com/linkedin/shared/authentication/token-introspection: "POST
# https://www.linkedin.com/oauth/v2/introspectToken" with client_id, client_secret and token; its sample response
# ("auth_type": one of 2L, 3L, Enterprise_User; scopes "displayed" for 3-legged tokens, comma-separated).
TOKEN_INTROSPECTION = {
    "active": True,
    "client_id": "xxxxxxxx",
    "authorized_at": 1493055596,
    "created_at": 1493055596,
    "status": "active",
    "expires_at": 1497497620,
    "scope": "r_liteprofile,r_emailaddress,w_member_social",
    "auth_type": "3L",
}
