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

# --- Showcase pages (organization brands) -------------------------------------------------------------------

# organizations?q=parentOrganization&parent=urn%3Ali%3Aorganization%3A{id}: LinkedIn's own "Community
# Management" Postman collection ("Try in Postman" on the Organization Lookup page), item "LinkedIn Find
# Administered Organization Brands by Parent Org", mirrored verbatim in api-evangelist/linkedin
# collections/linkedin-use-cases-organization-lookup-organization-brands-api.postman_collection.json (captured
# 2022-12-22, organization-lookup-api?view=li-lms-2022-11). The elements do not name their parent.
SHOWCASE_PAGES_BY_PARENT = {
    "paging": {"start": 0, "count": 10, "links": [], "total": 2},
    "elements": [
        {
            "name": {
                "localized": {"en_US": "Internal_EI_Demo"},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "primaryOrganizationType": "BRAND",
            "vanityName": "internal-ei-demo",
            "locations": [],
            "localizedName": "Internal_EI_Demo",
            "id": 89758488,
        },
        {
            "name": {
                "localized": {"en_US": "Internal_EI_TestCompany"},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "primaryOrganizationType": "BRAND",
            "vanityName": "internal-ei-testcompany",
            "locations": [],
            "localizedName": "Internal_EI_TestCompany",
            "id": 89757515,
        },
    ],
}

# organizationBrands/{id}: the same collection, item "LinkedIn Retrieve an Administered Organization Brand";
# its whole body, verbatim (api-evangelist/linkedin @14aa945, the file above: parentRelationship and $URN as
# the research note quotes them, and every other field it lists, with the sample's values).
ORGANIZATION_BRAND = {
    "vanityName": "internal-ei-demo",
    "localizedName": "Internal_EI_Demo",
    "website": {
        "localized": {"en_US": "https://internal-ei-test-company.com"},
        "preferredLocale": {"country": "US", "language": "en"},
    },
    "groups": [],
    "versionTag": "3061199585",
    "defaultLocale": {"country": "US", "language": "en"},
    "alternativeNames": [],
    "specialties": [],
    "parentRelationship": {"relationshipStatus": "ACTIVE", "parent": "urn:li:organization:79988552"},
    "localizedSpecialties": [],
    "industries": ["urn:li:industry:84"],
    "name": {
        "localized": {"en_US": "Internal_EI_Demo"},
        "preferredLocale": {"country": "US", "language": "en"},
    },
    "primaryOrganizationType": "BRAND",
    "id": 89758488,
    "$URN": "urn:li:organizationBrand:89758488",
    "autoCreated": False,
    "localizedWebsite": "https://internal-ei-test-company.com",
}

# brandPageStatistics?q=brand&brand=… (lifetime: no timeIntervals): LinkedIn's sample is not in reach; the
# element is verbatim from an SDK fixture, ebx/ebx-linkedin-sdk
# src/test/java/com/echobox/api/linkedin/jsonmapper/DefaultJsonMapperTest.java, testBrandStatistics, wrapped
# in a page. It carries `brand` where organizations carry `organization`, and the OLD facet names
# (pageStatisticsByCountry, …ByRegion, …ByIndustry; no …ByGeoCountry, …ByGeo, …ByIndustryV2,
# …ByTargetedContent) and no `clicks`: v2-era, maybe modelled on the old docs.
BRAND_PAGE_STATISTICS_LIFETIME = {
    "elements": [
        {
            "pageStatisticsBySeniority": [],
            "pageStatisticsByCountry": [],
            "pageStatisticsByIndustry": [],
            "totalPageStatistics": {
                "views": {
                    "overviewPageViews": {"pageViews": 1},
                    "allDesktopPageViews": {"pageViews": 1},
                    "mobileOverviewPageViews": {"pageViews": 0},
                    "allMobilePageViews": {"pageViews": 0},
                    "desktopOverviewPageViews": {"pageViews": 1},
                    "allPageViews": {"pageViews": 1},
                }
            },
            "brand": "urn:li:organizationBrand:18085185",
            "pageStatisticsByStaffCountRange": [],
            "pageStatisticsByRegion": [],
            "pageStatisticsByFunction": [],
        }
    ],
    "paging": {"start": 0, "count": 10, "links": []},
}

# brandPageStatistics with timeIntervals: no sample was found (LinkedIn's page could not be read past its
# head, and no SDK has a fixture). CONSTRUCTED: organizationPageStatistics' time-bound element (timeRange,
# totalPageStatistics {views, clicks}) with `brand` in place of `organization`, as the page says the two
# resources retrieve the same statistics "for an organization or organization brand page respectively" and
# ebx's Statistics.BrandStatistics differs from OrganizationStatistics only by `brand`. Values invented.
BRAND_PAGE_STATISTICS_TIME_BOUND = {
    "elements": [
        {
            "timeRange": {"start": 1772323200000, "end": 1772409600000},
            "brand": "urn:li:organizationBrand:18085185",
            "totalPageStatistics": {
                "views": {
                    "allPageViews": {"pageViews": 12, "uniquePageViews": 7},
                    "allDesktopPageViews": {"pageViews": 8},
                    "allMobilePageViews": {"pageViews": 4},
                },
                "clicks": {
                    "desktopCustomButtonClickCounts": [{"customButtonType": "VISIT_WEBSITE", "clicks": 1}],
                    "mobileCustomButtonClickCounts": [{"customButtonType": "VISIT_WEBSITE", "clicks": 0}],
                },
            },
        }
    ],
    "paging": {"start": 0, "count": 10, "links": []},
}

# --- Page notifications (Organization Social Action Notifications, pulled) ----------------------------------

# organizationalEntityNotifications?q=criteria: LinkedIn's sample could not be read (only the page's head is
# in reach). A real-looking pull answer from production code: matteeyah/respondo
# test/fixtures/files/li_organization_notifications.json (commit b3f546b, 2023-11-07, "[Feature] Linkedin
# mentions integration"), verbatim. notificationId is a long, here negative; no `total` in paging; no
# decorated fields.
NOTIFICATIONS = {
    "paging": {"start": 0, "count": 10, "links": []},
    "elements": [
        {
            "action": "SHARE_MENTION",
            "notificationId": -746895290,
            "lastModifiedAt": 1698174153847,
            "sourcePost": "urn:li:activity:7122658646135619584",
            "organizationalEntity": "urn:li:organization:100702332",
            "generatedActivity": "urn:li:share:7122658645678465024",
        }
    ],
}
# The variant a pull answer might carry: a webhook (push) notification, with subscriber and the decorated*
# fields of the webhook schema (api-evangelist/linkedin asyncapi/linkedin-webhooks.yml), verbatim from public
# code (code index id 12694220136, repository not resolvable), wrapped in a pull answer's page. Whether pull
# answers ever carry decorated fields is unverified. Note its generatedActivity's `(activity:…` without
# `urn:li:`.
NOTIFICATION_WITH_DECORATIONS = {
    "elements": [
        {
            "subscriber": "urn:li:person:zLqTygBP8S",
            "lastModifiedAt": 1691574506310,
            "decoratedSourcePost": {
                "owner": "urn:li:organization:96072893",
                "mediaCategory": "NONE",
                "text": "This is my post 0008",
                "entity": "urn:li:share:7094637247487995904",
            },
            "sourcePost": "urn:li:activity:7094637247890620418",
            "decoratedGeneratedActivity": {
                "comment": {
                    "owner": "urn:li:person:zLqTygBP8S",
                    "text": "Commenting as Sumit Butola...",
                    "entity": "urn:li:comment:(urn:li:activity:7094637247890620418,7094977717598625792)",
                    "object": "urn:li:activity:7094637247890620418",
                }
            },
            "action": "COMMENT",
            "notificationId": 5603453321,
            "organizationalEntity": "urn:li:organization:96072893",
            "generatedActivity": "urn:li:comment:(activity:7094637247890620418,7094977717598625792)",
        }
    ],
    "paging": {"start": 0, "count": 10, "links": []},
}

# --- DMA content analytics ----------------------------------------------------------------------------------

# dmaOrganizationalPageContentAnalytics?q=trend: no LinkedIn sample is in reach (its page,
# learn.microsoft.com/linkedin/dma/analytics/organizational-page-content-analytics, is in no corpus). The
# shape production code reads: jchopard69/jumpstart-dashboard lib/social-platforms/linkedin/dma.ts
# @9ad2ee58b1fe (DmaContentAnalyticsElement: type, metric.timeIntervals.timeRange, metric.value.totalCount,
# metric.value.typeSpecificValue.contentAnalyticsValue.{organicValue, sponsoredValue}) and
# dpella/linked-company-pages-export linkedin_export.py @641761826ce5 (_impressions: totalCount.long, else
# .bigDecimal). Values invented; one element per metric and day.
DMA_CONTENT_ANALYTICS = {
    "elements": [
        {
            "type": "IMPRESSIONS",
            "metric": {
                "timeIntervals": {"timeRange": {"start": 1772323200000, "end": 1772409600000}},
                "value": {
                    "totalCount": {"long": 412},
                    "typeSpecificValue": {
                        "contentAnalyticsValue": {
                            "organicValue": {"long": 380},
                            "sponsoredValue": {"long": 32},
                        }
                    },
                },
            },
        },
        {
            "type": "CLICKS",
            "metric": {
                "timeIntervals": {"timeRange": {"start": 1772323200000, "end": 1772409600000}},
                "value": {
                    "totalCount": {"long": 9},
                    "typeSpecificValue": {
                        "contentAnalyticsValue": {"organicValue": {"long": 8}, "sponsoredValue": {"long": 1}}
                    },
                },
            },
        },
    ],
    "paging": {"start": 0, "count": 10, "links": []},
}
# The bigDecimal variant the same clients read (dpella, jumpstart's CountValue, two unnamed clients): a count
# as {"bigDecimal": "12"}, and a ratio (ENGAGEMENT_RATE, a fraction) as bigDecimal throughout. Values
# invented.
DMA_CONTENT_ANALYTICS_BIGDECIMAL = {
    "elements": [
        {
            "type": "REACTIONS",
            "metric": {
                "timeIntervals": {"timeRange": {"start": 1772323200000, "end": 1772409600000}},
                "value": {
                    "totalCount": {"bigDecimal": "12"},
                    "typeSpecificValue": {
                        "contentAnalyticsValue": {
                            "organicValue": {"bigDecimal": "10"},
                            "sponsoredValue": {"bigDecimal": "2"},
                        }
                    },
                },
            },
        },
        {
            "type": "ENGAGEMENT_RATE",
            "metric": {
                "timeIntervals": {"timeRange": {"start": 1772323200000, "end": 1772409600000}},
                "value": {
                    "totalCount": {"bigDecimal": "0.0123"},
                    "typeSpecificValue": {
                        "contentAnalyticsValue": {
                            "organicValue": {"bigDecimal": "0.0131"},
                            "sponsoredValue": {"bigDecimal": "0.0031"},
                        }
                    },
                },
            },
        },
    ],
    "paging": {"start": 0, "count": 10, "links": []},
}
# The variant without totalCount, only organic and sponsored values: jumpstart-dashboard's readContentCount
# falls back to organicValue + sponsoredValue when totalCount is missing or 0. Values invented.
DMA_CONTENT_ANALYTICS_NO_TOTAL = {
    "elements": [
        {
            "type": "IMPRESSIONS",
            "metric": {
                "timeIntervals": {"timeRange": {"start": 1772323200000, "end": 1772409600000}},
                "value": {
                    "typeSpecificValue": {
                        "contentAnalyticsValue": {
                            "organicValue": {"long": 380},
                            "sponsoredValue": {"long": 32},
                        }
                    }
                },
            },
        }
    ],
    "paging": {"start": 0, "count": 10, "links": []},
}
