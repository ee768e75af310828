"""The emulator's data: deterministic, realistic, and the ground truth the end-to-end tests compare against.

Every value is derived from a hash of (seed, organization, what, when), so a given day's figures are the same
in every run, whatever day the emulator is started on, and tests can compute what the connector must return.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import random
import string
from dataclasses import dataclass, field
from functools import cached_property

DAY_MS = 86_400_000

SENIORITIES = [f"urn:li:seniority:{i}" for i in range(1, 11)]
FUNCTIONS = [f"urn:li:function:{i}" for i in range(1, 27)]
INDUSTRIES = [f"urn:li:industry:{i}" for i in (4, 6, 12, 27, 41, 43, 47, 80, 96, 104, 137)]
COUNTRIES = [
    f"urn:li:geo:{i}" for i in (103644278, 101165590, 101282230, 105015875, 102713980, 101174742, 102890719)
]
MARKETS = [f"urn:li:geo:{i}" for i in (90009626, 90009633, 90000084, 90000070, 90009524, 90000049)]
STAFF_RANGES = ["SIZE_1", "SIZE_2_TO_10", "SIZE_11_TO_50", "SIZE_51_TO_200", "SIZE_201_TO_500",
                "SIZE_501_TO_1000", "SIZE_1001_TO_5000", "SIZE_5001_TO_10000", "SIZE_10001_OR_MORE"]  # fmt: skip
# Standardized data: the names LinkedIn serves for facet values, in its default locale (en_US).
SENIORITY_NAMES = [
    "Unpaid",
    "Training",
    "Entry",
    "Senior",
    "Manager",
    "Director",
    "VP",
    "CXO",
    "Partner",
    "Owner",
]
FUNCTION_NAMES = ["Accounting", "Administrative", "Arts and Design", "Business Development",
                  "Community and Social Services", "Consulting", "Education", "Engineering", "Entrepreneurship",
                  "Finance", "Healthcare Services", "Human Resources", "Information Technology", "Legal",
                  "Marketing", "Media and Communication", "Military and Protective Services", "Operations",
                  "Product Management", "Program and Project Management", "Purchasing", "Quality Assurance",
                  "Real Estate", "Research", "Sales", "Support"]  # fmt: skip
INDUSTRY_NAMES = {1: "Defense and Space Manufacturing", 4: "Software Development", 6: "Technology, Information and Internet",
                  12: "Higher Education", 27: "Retail", 41: "Banking", 43: "Financial Services", 47: "Accounting",
                  80: "Advertising Services", 96: "IT Services and IT Consulting", 104: "Staffing and Recruiting",
                  137: "Human Resources Services", 1594: "Technology, Information and Media"}  # fmt: skip
# The older industry list (`/rest/industries`, "Industries"): the names of the first taxonomy, which the ids of
# `industryV2` facets do not follow; the current names are INDUSTRY_NAMES (`industryTaxonomyVersions/DEFAULT`).
OLD_INDUSTRY_NAMES = {1: "Defense & Space", 4: "Computer Software", 6: "Internet", 12: "Biotechnology", 27: "Retail",
                      41: "Banking", 43: "Financial Services", 47: "Accounting", 80: "Marketing and Advertising",
                      96: "Information Technology and Services", 104: "Staffing and Recruiting",
                      137: "Human Resources"}  # fmt: skip
GEO_NAMES = {103644278: "United States", 101165590: "United Kingdom", 101282230: "Germany", 105015875: "France",
             102713980: "India", 101174742: "Canada", 102890719: "Netherlands", 90009626: "Greater Boston",
             90009633: "Greater Chicago Area", 90000084: "San Francisco Bay Area", 90000070: "New York City Metropolitan Area",
             90009524: "Greater London", 90000049: "Los Angeles Metropolitan Area", 100506914: "Europe",
             102221843: "North America", 106693272: "Switzerland", 104738515: "Ireland"}  # fmt: skip
# LinkedIn's reaction types ("Reactions API"); socialMetadata summarizes them per post.
REACTION_TYPES = ["LIKE", "PRAISE", "EMPATHY", "INTEREST", "APPRECIATION", "ENTERTAINMENT"]
VIDEO_METRICS = ["VIDEO_VIEW", "VIEWER", "TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS"]
COMMENT_TEXTS = ["Great insights, thanks for sharing!", "Congratulations to the whole team!", "Very helpful.",
                 "Where can I find the recording?", "Love this.", "Is this available in Europe?",
                 "Interesting take on warehouse costs.", "We saw the same thing at our company."]  # fmt: skip
PAGE_SECTIONS = ["overview", "about", "people", "jobs", "careers", "lifeAt", "products", "insights"]
CONTENT_KINDS = ["text", "media", "article", "multiImage", "poll", "carousel", "celebration", "reference"]
ENGAGEMENT_LEVELS = ["VERY_LOW", "LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
COMPANY_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne",
                 "Soylent", "Vandelay", "Pied", "Piper", "Massive", "Dynamic", "Blue", "Sun", "Oceanic", "Nakatomi"]  # fmt: skip
POST_OPENERS = ["We're excited to announce", "Join us for our upcoming webinar on", "Proud to share that our team",
                "Meet the people behind", "Five lessons we learned from", "New on the blog:", "We're hiring:",
                "Thank you to everyone who joined", "A look back at", "Customer story:"]  # fmt: skip
POST_TOPICS = ["our new analytics platform", "data engineering at scale", "the 2026 benchmark report",
               "our Series C", "product-led growth", "the community summit", "warehouse-native marketing",
               "open source connectors", "privacy-first measurement", "our Lisbon office"]  # fmt: skip


# Page notifications: the events a day's notifications start from (edits and deletions follow comments).
NOTIFIED_EVENTS = ["LIKE", "COMMENT", "ADMIN_COMMENT", "SHARE", "SHARE_MENTION"]
# DMA content analytics: the count metrics, and the lifetime share statistic each one sums to.
CONTENT_LIFETIME_FIELDS = {
    "IMPRESSIONS": "impressionCount",
    "UNIQUE_IMPRESSIONS": "uniqueImpressionsCount",
    "CLICKS": "clickCount",
    "COMMENTS": "commentCount",
    "REACTIONS": "likeCount",
    "REPOSTS": "shareCount",
}


def apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders): integers summing to ``total``."""
    whole = [int(w * 1_000_000) + 1 for w in weights]  # integers: exact arithmetic, no float drift
    floors = [total * w // sum(whole) for w in whole]
    by_remainder = sorted(range(len(whole)), key=lambda k: (-(total * whole[k] % sum(whole)), k))
    for k in by_remainder[: total - sum(floors)]:
        floors[k] += 1
    return floors


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


def rng(*parts: object) -> random.Random:
    return random.Random(_seed(*parts))


def day_start_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def ms_to_date(ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).date()


@dataclass(frozen=True)
class Organization:
    id: int
    name: str
    vanity: str
    industry: str
    followers_at_start: int
    # A page is an entity of its own, with its own id (LinkedIn's pageEntity finder maps one to the other):
    # never equal to the organization id here, so no client can pass by reusing the organization id.
    page_id: int

    @property
    def urn(self) -> str:
        return f"urn:li:organization:{self.id}"

    @property
    def page_urn(self) -> str:
        return f"urn:li:organizationalPage:{self.page_id}"


@dataclass(frozen=True)
class Brand:
    """A showcase page: LinkedIn's "organization brand" ("Showcase Pages | Brand |
    urn:li:organizationBrand:{showcase id}", the Organizations overview), a child of an organization."""

    id: int
    name: str
    vanity: str
    parent_id: int

    @property
    def urn(self) -> str:
        return f"urn:li:organizationBrand:{self.id}"

    @property
    def parent_urn(self) -> str:
        return f"urn:li:organization:{self.parent_id}"


@dataclass(frozen=True)
class AdAccount:
    id: int
    name: str
    test: bool

    @property
    def urn(self) -> str:
        return f"urn:li:sponsoredAccount:{self.id}"


DEFAULT_ORGANIZATIONS = (
    Organization(
        2414183, "Northwind Analytics", "northwind-analytics", "urn:li:industry:4", 18_250, 81930226
    ),
    Organization(5470551, "Contoso Data", "contoso-data", "urn:li:industry:96", 9_430, 43317908),
    Organization(11130470, "Fabrikam Labs", "fabrikam-labs", "urn:li:industry:6", 3_120, 66204175),
)
# Two showcase pages for Northwind, one for Contoso, none for Fabrikam (invented ids, 8 digits as LinkedIn's).
DEFAULT_BRANDS = (
    Brand(71824305, "Northwind Careers", "northwind-careers", 2414183),
    Brand(71824377, "Northwind Cloud", "northwind-cloud", 2414183),
    Brand(83390216, "Contoso Research", "contoso-research", 5470551),
)
DEFAULT_AD_ACCOUNTS = (
    AdAccount(508774356, "Northwind - Always On", False),
    AdAccount(508774357, "Northwind - Events", False),
    AdAccount(508774399, "Sandbox (test)", True),
)


def many_ad_accounts(count: int) -> tuple[AdAccount, ...]:
    """``count`` ad accounts (one in ten a test account): more than one page of LinkedIn's cursor-paged search."""
    return tuple(AdAccount(600_000_000 + i, f"Account {i}", i % 10 == 9) for i in range(count))


@dataclass
class Dataset:
    """All the data the emulator serves. Sizes are per organization (or per ad account)."""

    seed: int = 7
    posts_per_org: int = 300
    member_followers_per_org: int = 2500
    page_followers_per_org: int = 40
    followed_pages_per_org: int = 25
    companies_per_account: int = 2200
    organizations: tuple[Organization, ...] = DEFAULT_ORGANIZATIONS
    # Showcase pages: a test may replace the tuple between syncs (a page added or removed); nothing caches it.
    brands: tuple[Brand, ...] = DEFAULT_BRANDS
    ad_accounts: tuple[AdAccount, ...] = DEFAULT_AD_ACCOUNTS
    # Posts span this many days back from the epoch anchor below (fixed, so data does not move with "today").
    post_history_days: int = 730
    commented_share: float = 0.5  # of the posts that have comments
    anchor: dt.date = field(default_factory=lambda: dt.date(2026, 11, 1))

    def organization(self, org_id: int) -> Organization | None:
        return next((o for o in self.organizations if o.id == org_id), None)

    def organization_of_page(self, page_id: int) -> Organization | None:
        return next((o for o in self.organizations if o.page_id == page_id), None)

    def page_profile(self, org: Organization) -> dict:
        """The Organizational Page Profile of an organization's page (the answer of the pageEntity finder)."""
        return {
            "entityUrn": org.page_urn,
            "primaryPageEntity": {"organization": org.urn},
            "localizedName": org.name,
            "pageUrl": f"https://www.linkedin.com/company/{org.vanity}",
            "vanityName": org.vanity,
        }

    def ad_account(self, account_id: int) -> AdAccount | None:
        return next((a for a in self.ad_accounts if a.id == account_id), None)

    # ------------------------------------------------------------------------------------------------
    # Organization lookup
    # ------------------------------------------------------------------------------------------------
    def organization_resource(self, org: Organization) -> dict:
        r = rng(self.seed, org.id, "org")
        return {
            "id": org.id,
            "$URN": org.urn,
            "localizedName": org.name,
            "name": {
                "localized": {"en_US": org.name},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "vanityName": org.vanity,
            "localizedDescription": f"{org.name} helps data teams turn marketing data into decisions.",
            "localizedWebsite": f"https://www.{org.vanity}.example",
            "primaryOrganizationType": "NONE",
            "organizationType": "PRIVATELY_HELD",
            "organizationStatus": "OPERATING",
            "entityStatus": "ACTIVE",
            "industries": [org.industry],
            "staffCountRange": r.choice(STAFF_RANGES[3:7]),
            "foundedOn": {"year": r.randint(2005, 2020)},
            "localizedSpecialties": ["Analytics", "Data Engineering", "Marketing"],
            "locations": [
                {
                    "locationType": "HEADQUARTERS",
                    "address": {
                        "country": "US",
                        "city": "Seattle",
                        "geographicArea": "WA",
                        "postalCode": "98101",
                    },
                    "staffCountRange": "SIZE_51_TO_200",
                }
            ],
            "versionTag": str(r.randint(1, 40)),
            "defaultLocale": {"country": "US", "language": "en"},
        }

    # ------------------------------------------------------------------------------------------------
    # Showcase pages (organization brands)
    # ------------------------------------------------------------------------------------------------
    def brand(self, brand_id: int) -> Brand | None:
        return next((b for b in self.brands if b.id == brand_id), None)

    def brands_of(self, org: Organization) -> list[Brand]:
        """The showcase pages of an organization, in the dataset's order."""
        return [b for b in self.brands if b.parent_id == org.id]

    @staticmethod
    def brand_listing(brand: Brand) -> dict:
        """An element of ``organizations?q=parentOrganization``: the fields of the Postman sample (LinkedIn's
        "Community Management" collection), no parent among them."""
        return {
            "name": {
                "localized": {"en_US": brand.name},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "primaryOrganizationType": "BRAND",
            "vanityName": brand.vanity,
            "locations": [],
            "localizedName": brand.name,
            "id": brand.id,
        }

    def brand_resource(self, brand: Brand) -> dict:
        """``organizationBrands/{id}``: the Postman sample's fields, ``parentRelationship`` and ``$URN``."""
        parent = self.organization(brand.parent_id)
        website = f"https://www.{brand.vanity}.example"
        return {
            "vanityName": brand.vanity,
            "localizedName": brand.name,
            "website": {
                "localized": {"en_US": website},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "groups": [],
            "versionTag": str(rng(self.seed, brand.id, "version-tag").randint(10**8, 4 * 10**9)),
            "defaultLocale": {"country": "US", "language": "en"},
            "alternativeNames": [],
            "specialties": [],
            "parentRelationship": {"relationshipStatus": "ACTIVE", "parent": brand.parent_urn},
            "localizedSpecialties": [],
            "industries": [parent.industry] if parent else [],
            "name": {
                "localized": {"en_US": brand.name},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "primaryOrganizationType": "BRAND",
            "id": brand.id,
            "$URN": brand.urn,
            "autoCreated": False,
            "localizedWebsite": website,
        }

    def _brand_audience(self, brand: Brand) -> int:
        """A showcase page's followers: a fraction of its parent's (its statistics are on a smaller scale)."""
        parent = self.organization(brand.parent_id)
        r = rng(self.seed, brand.id, "brand-audience")
        return max(300, (parent.followers_at_start if parent else 2_000) // r.randint(3, 8))

    def brand_page_day(self, brand: Brand, day: dt.date) -> dict:
        return self._page_day(brand.id, self._brand_audience(brand), day)

    def brand_page_lifetime(self, brand: Brand) -> dict:
        return self._page_lifetime(brand.id, self._brand_audience(brand), "brand", brand.urn)

    def brand_share_day(self, brand: Brand, day: dt.date) -> dict:
        return self._share_day(brand.id, self._brand_audience(brand), day)

    def brand_share_lifetime(self, brand: Brand, today: dt.date) -> dict:
        return self._share_lifetime(brand.id, self._brand_audience(brand), brand.urn, today)

    # ------------------------------------------------------------------------------------------------
    # Follower statistics
    # ------------------------------------------------------------------------------------------------
    def follower_gain(self, org: Organization, day: dt.date) -> dict:
        r = rng(self.seed, org.id, "followers", day.isoformat())
        scale = org.followers_at_start / 10_000
        organic = int(r.gauss(38 * scale, 14 * scale))  # net: unfollows can exceed follows
        paid = max(0, int(r.gauss(6 * scale, 4 * scale))) if day.weekday() < 5 else 0
        return {"organicFollowerGain": organic, "paidFollowerGain": paid}

    def total_followers(self, org: Organization, today: dt.date) -> int:
        first = today - dt.timedelta(days=365)
        gained = sum(sum(self.follower_gain(org, first + dt.timedelta(days=i)).values()) for i in range(363))
        return org.followers_at_start + gained

    def follower_facets(self, org: Organization) -> dict:
        r = rng(self.seed, org.id, "follower-facets")

        def facet(key: str, values: list[str], total: int) -> list[dict]:
            weights = [r.random() ** 2 for _ in values]
            scale = total / sum(weights)
            return [
                {key: v, "followerCounts": {"organicFollowerCount": int(w * scale), "paidFollowerCount": 0}}
                for v, w in zip(values, weights, strict=True)
            ]

        total = org.followers_at_start
        return {
            "organizationalEntity": org.urn,
            "followerCountsByAssociationType": [
                {
                    "associationType": "EMPLOYEE",
                    "followerCounts": {"organicFollowerCount": total // 40, "paidFollowerCount": 0},
                }
            ],
            "followerCountsBySeniority": facet("seniority", SENIORITIES, total),
            "followerCountsByFunction": facet("function", FUNCTIONS, total),
            "followerCountsByIndustry": facet("industry", INDUSTRIES, total),
            "followerCountsByGeoCountry": facet("geo", COUNTRIES, total),
            "followerCountsByGeo": facet("geo", MARKETS, total),
            "followerCountsByStaffCountRange": facet("staffCountRange", STAFF_RANGES, total),
        }

    # ------------------------------------------------------------------------------------------------
    # Share statistics (organization level)
    # ------------------------------------------------------------------------------------------------
    def share_day(self, org: Organization, day: dt.date) -> dict:
        return self._share_day(org.id, org.followers_at_start, day)

    def _share_day(self, entity_id: int, audience: int, day: dt.date) -> dict:
        """A day's share statistics of an entity (organization or brand) of ``audience`` followers."""
        r = rng(self.seed, entity_id, "shares", day.isoformat())
        impressions = max(0, int(r.gauss(2400, 900) * audience / 10_000))
        clicks, likes, comments, shares = (
            int(impressions * r.uniform(0.005, 0.03)),
            int(impressions * r.uniform(0.004, 0.02)),
            int(impressions * r.uniform(0.0, 0.004)),
            int(impressions * r.uniform(0.0, 0.002)),
        )
        return {
            "impressionCount": impressions,
            "uniqueImpressionsCount": int(impressions * 0.71),
            "clickCount": clicks,
            "likeCount": likes,
            "commentCount": comments,
            "shareCount": shares,
            "engagement": (clicks + likes + comments + shares) / impressions if impressions else 0.0,
        }

    def share_lifetime(self, org: Organization, today: dt.date) -> dict:
        return self._share_lifetime(org.id, org.followers_at_start, org.urn, today)

    def _share_lifetime(self, entity_id: int, audience: int, urn: str, today: dt.date) -> dict:
        days = [self._share_day(entity_id, audience, today - dt.timedelta(days=i)) for i in range(2, 367)]
        totals = {k: sum(d[k] for d in days) for k in ("impressionCount", "uniqueImpressionsCount", "clickCount",
                                                         "likeCount", "commentCount", "shareCount")}  # fmt: skip
        engaged = totals["clickCount"] + totals["likeCount"] + totals["commentCount"] + totals["shareCount"]
        totals["engagement"] = engaged / totals["impressionCount"] if totals["impressionCount"] else 0.0
        totals["commentMentionsCount"] = rng(self.seed, entity_id, "mentions").randint(0, 40)
        totals["shareMentionsCount"] = rng(self.seed, entity_id, "share-mentions").randint(0, 25)
        return {"organizationalEntity": urn, "totalShareStatistics": totals}

    # ------------------------------------------------------------------------------------------------
    # Page statistics
    # ------------------------------------------------------------------------------------------------
    def _views(self, r: random.Random, total: int) -> dict:
        views: dict[str, dict] = {}
        desktop_share = r.uniform(0.45, 0.65)
        all_views = {"pageViews": total, "uniquePageViews": int(total * 0.62)}
        views["allPageViews"] = all_views
        views["allDesktopPageViews"] = {"pageViews": int(total * desktop_share)}
        views["allMobilePageViews"] = {"pageViews": total - int(total * desktop_share)}
        weights = [r.random() for _ in PAGE_SECTIONS]
        for section, weight in zip(PAGE_SECTIONS, weights, strict=True):
            section_views = int(total * weight / sum(weights))
            cap = section[0].upper() + section[1:]
            views[f"{section}PageViews"] = {
                "pageViews": section_views,
                "uniquePageViews": int(section_views * 0.7),
            }
            views[f"desktop{cap}PageViews"] = {"pageViews": int(section_views * desktop_share)}
            views[f"mobile{cap}PageViews"] = {"pageViews": section_views - int(section_views * desktop_share)}
        return views

    def _clicks(self, r: random.Random) -> dict:
        return {
            "desktopCustomButtonClickCounts": [
                {"customButtonType": "VISIT_WEBSITE", "clicks": r.randint(0, 40)}
            ],
            "mobileCustomButtonClickCounts": [
                {"customButtonType": "VISIT_WEBSITE", "clicks": r.randint(0, 30)}
            ],
        }

    def page_day(self, org: Organization, day: dt.date) -> dict:
        return self._page_day(org.id, org.followers_at_start, day)

    def _page_day(self, entity_id: int, audience: int, day: dt.date) -> dict:
        """A day's page statistics of an entity (organization or brand) of ``audience`` followers."""
        r = rng(self.seed, entity_id, "page", day.isoformat())
        total = max(0, int(r.gauss(420, 130) * audience / 10_000))
        return {"views": self._views(r, total), "clicks": self._clicks(r)}

    def page_lifetime(self, org: Organization) -> dict:
        return self._page_lifetime(org.id, org.followers_at_start, "organization", org.urn)

    def _page_lifetime(self, entity_id: int, audience: int, key: str, urn: str) -> dict:
        """Lifetime page statistics, the entity named by ``key`` (``organization`` or ``brand``)."""
        r = rng(self.seed, entity_id, "page-lifetime")
        total = audience * 14

        def facet(key: str, values: list[str]) -> list[dict]:
            weights = [r.random() ** 2 for _ in values]
            return [
                {key: v, "pageStatistics": {"views": self._views(r, int(total * w / sum(weights)))}}
                for v, w in zip(values, weights, strict=True)
            ]

        return {
            key: urn,
            "totalPageStatistics": {"views": self._views(r, total), "clicks": self._clicks(r)},
            "pageStatisticsBySeniority": facet("seniority", SENIORITIES),
            "pageStatisticsByFunction": facet("function", FUNCTIONS),
            "pageStatisticsByIndustryV2": facet("industryV2", INDUSTRIES),
            "pageStatisticsByGeoCountry": facet("geo", COUNTRIES),
            "pageStatisticsByGeo": facet("geo", MARKETS),
            "pageStatisticsByStaffCountRange": facet("staffCountRange", STAFF_RANGES),
            "pageStatisticsByTargetedContent": [],
        }

    # ------------------------------------------------------------------------------------------------
    # Posts and their lifetime statistics
    # ------------------------------------------------------------------------------------------------
    def posts(self, org: Organization) -> list[dict]:
        """Every post of the organization, newest ``lastModifiedAt`` first (the LAST_MODIFIED sort)."""
        return self._posts_by_org[org.id]

    @cached_property
    def _posts_by_org(self) -> dict[int, list[dict]]:
        return {org.id: self._make_posts(org) for org in self.organizations}

    def _make_posts(self, org: Organization) -> list[dict]:
        anchor_ms = day_start_ms(self.anchor)
        span = self.post_history_days * DAY_MS
        posts = []
        for i in range(self.posts_per_org):
            r = rng(self.seed, org.id, "post", i)
            created = anchor_ms - span + int(span * (i + r.random()) / self.posts_per_org)
            edited = r.random() < 0.2
            modified = created + (r.randint(1, 20) * DAY_MS if edited else r.randint(0, 3_600_000))
            kind = CONTENT_KINDS[i % len(CONTENT_KINDS)]
            numeric = 7_000_000_000_000_000_000 + _seed(self.seed, org.id, i) % 10**18
            urn = f"urn:li:{'share' if i % 3 == 0 else 'ugcPost'}:{numeric}"
            post = {
                "id": urn,
                "author": org.urn,
                "commentary": f"{r.choice(POST_OPENERS)} {r.choice(POST_TOPICS)}. #data #analytics",
                "visibility": "PUBLIC",
                "distribution": {
                    "feedDistribution": "MAIN_FEED",
                    "targetEntities": [],
                    "thirdPartyDistributionChannels": [],
                },
                "lifecycleState": "PUBLISHED",
                "lifecycleStateInfo": {"isEditedByAuthor": edited, "contentStatus": "ACTIVE"},
                "isReshareDisabledByAuthor": False,
                "createdAt": created,
                "publishedAt": created + r.randint(0, 60_000),
                "lastModifiedAt": modified,
            }
            content = self._content(kind, r, org, i)
            if content:
                post["content"] = content
            if i % 17 == 5:
                post["reshareContext"] = {
                    "parent": f"urn:li:share:{numeric - 11}",
                    "root": f"urn:li:share:{numeric - 23}",
                }
            if i % 23 == 7:
                post["adContext"] = {"dscAdAccount": DEFAULT_AD_ACCOUNTS[0].urn, "dscStatus": "ACTIVE",
                                     "isDsc": True, "dscAdType": "STANDARD", "dscName": f"Sponsored {i}"}  # fmt: skip
            posts.append(post)
        posts.sort(key=lambda p: (p["lastModifiedAt"], p["id"]), reverse=True)
        return posts

    @staticmethod
    def _content(kind: str, r: random.Random, org: Organization, i: int) -> dict | None:
        image = f"urn:li:image:D4D22AQ{r.randint(10**9, 10**10)}"
        if kind == "text":
            return None
        if kind == "media":
            media = f"urn:li:video:D5D10AQ{r.randint(10**9, 10**10)}" if i % 2 else image
            return {"media": {"id": media, "title": "Product walkthrough", "altText": "A dashboard"}}
        if kind == "article":
            return {
                "article": {
                    "source": f"https://www.{org.vanity}.example/blog/{i}",
                    "title": "How we cut our dashboard latency in half",
                    "description": "A deep dive into our warehouse layout.",
                    "thumbnail": image,
                    "thumbnailAltText": "Charts",
                }
            }
        if kind == "multiImage":
            return {"multiImage": {"images": [{"id": image, "altText": f"Slide {n}"} for n in range(1, 4)]}}
        if kind == "poll":
            return {
                "poll": {
                    "question": "Which warehouse do you use?",
                    "options": [
                        {"text": t, "voteCount": r.randint(0, 500)}
                        for t in ("Snowflake", "BigQuery", "DuckDB")
                    ],
                    "settings": {
                        "duration": "THREE_DAYS",
                        "voteSelectionType": "ONE_VOTE",
                        "isVoterVisibleToAuthor": False,
                    },
                    "uniqueVotersCount": r.randint(10, 900),
                }
            }
        if kind == "carousel":
            return {
                "carousel": {
                    "cards": [
                        {
                            "media": {"id": image, "title": f"Card {n}"},
                            "landingPage": f"https://www.{org.vanity}.example/{n}",
                        }
                        for n in range(1, 4)
                    ]
                }
            }
        if kind == "celebration":
            return {
                "celebration": {
                    "type": "WELCOME",
                    "text": "Welcome to the team!",
                    "recipient": ["urn:li:person:abc123"],
                    "media": {"id": image},
                }
            }
        return {"reference": {"id": f"urn:li:event:{r.randint(10**15, 10**16)}"}}

    def post_statistics(self, org: Organization, post_urn: str) -> dict | None:
        """Lifetime statistics of a post, or None when it had no activity (LinkedIn then omits it)."""
        r = rng(self.seed, org.id, "post-stats", post_urn)
        if r.random() < 0.1:
            return None
        impressions = int(r.lognormvariate(7.5, 1.0))
        clicks, comments, shares = (
            int(impressions * r.uniform(0.005, 0.05)),
            r.randint(0, 60),
            r.randint(0, 30),
        )
        likes = int(impressions * r.uniform(0.002, 0.03)) - (r.randint(1, 3) if r.random() < 0.02 else 0)
        if r.random() < 0.01:
            likes = -r.randint(1, 2)  # LinkedIn documents negative likes (unliked sponsored likes)
        return {
            "impressionCount": impressions,
            "uniqueImpressionsCount": int(impressions * r.uniform(0.6, 0.85)),
            "clickCount": clicks,
            "likeCount": likes,
            "commentCount": comments,
            "shareCount": shares,
            "engagement": (clicks + likes + comments + shares) / impressions if impressions else 0.0,
        }

    # ------------------------------------------------------------------------------------------------
    # Engagement: social metadata, comments, video analytics
    # ------------------------------------------------------------------------------------------------
    def post(self, org: Organization, urn: str) -> dict | None:
        return self._post_index[org.id].get(urn)

    @cached_property
    def _post_index(self) -> dict[int, dict[str, dict]]:
        return {org.id: {p["id"]: p for p in self.posts(org)} for org in self.organizations}

    @staticmethod
    def activity_of(post: dict) -> str:
        """The activity a post is (comment URNs and a comment's ``object`` name it): an id of its own."""
        return f"urn:li:activity:{int(post['id'].rsplit(':', 1)[1]) + 1_000_000_000_000}"

    def post_of_activity(self, activity: str) -> tuple[Organization, dict] | None:
        return self._activity_index.get(activity)

    @cached_property
    def _activity_index(self) -> dict[str, tuple[Organization, dict]]:
        return {self.activity_of(p): (org, p) for org in self.organizations for p in self.posts(org)}

    def comments(self, org: Organization, post_urn: str) -> list[dict]:
        """Every comment on a post, top-level ones and their replies, in the Comments API's shape (its sample's
        fields: ``actor, commentUrn, created, id, lastModified, likesSummary, message, object``); about half the
        posts have none (``commented_share``). A comment's URN is built on the post's activity,
        ``urn:li:comment:(urn:li:activity:…,<id>)``; replies carry ``parentComment``. No ``commentsSummary``: no
        sample of LinkedIn's shows one on a comment."""
        post = self.post(org, post_urn)
        r = rng(self.seed, org.id, "comments", post_urn)
        if post is None or r.random() < 1 - self.commented_share:
            return []
        comments: list[dict] = []
        for i in range(r.randint(1, 6)):
            top = self._comment(org, post, r, f"{i}", None)
            replies = [
                self._comment(org, post, r, f"{i}{j}", top)
                for j in range(r.randint(1, 3) if r.random() < 0.25 else 0)
            ]
            comments += [top, *replies]
        return comments

    def _comment(
        self, org: Organization, post: dict, r: random.Random, key: str, parent: dict | None
    ) -> dict:
        created = (parent or post)["created" if parent else "createdAt"]
        # Never after the dataset's anchor day: a comment from the future would be no one's ground truth.
        created = min(
            (created["time"] if parent else created) + r.randint(60_000, 20 * DAY_MS),
            day_start_ms(self.anchor),
        )
        edited = (
            min(created + r.randint(60_000, 2 * DAY_MS), day_start_ms(self.anchor))
            if r.random() < 0.1
            else created
        )
        actor = (
            org.urn if r.random() < 0.1 else "urn:li:person:" + "".join(r.choices(string.ascii_letters, k=10))
        )
        numeric = 7_100_000_000_000_000_000 + _seed(self.seed, post["id"], key) % 10**18
        comment = {
            "commentUrn": f"urn:li:comment:({self.activity_of(post)},{numeric})",
            "id": str(numeric),
            "actor": actor,
            "object": self.activity_of(post),
            "message": {"text": r.choice(COMMENT_TEXTS), "attributes": []},
            "created": {"actor": actor, "time": created},
            "lastModified": {"actor": actor, "time": edited},
            "likesSummary": {"totalLikes": r.randint(0, 9), "likedByCurrentUser": False},
        }
        if parent:
            comment["parentComment"] = parent["commentUrn"]
        return comment

    def social_metadata(self, org: Organization, post_urn: str) -> dict:
        """A post's ``socialMetadata``: reactions by type (a type nobody used is absent), comment counts (replies
        included in ``count``, not in ``topLevelCount``) and whether comments are open."""
        r = rng(self.seed, org.id, "reactions", post_urn)
        comments = self.comments(org, post_urn)
        counts = {
            kind: r.randint(0, 60 if kind == "LIKE" else 6) if r.random() < 0.7 else 0
            for kind in REACTION_TYPES
        }
        return {
            "entity": post_urn,
            "reactionSummaries": {
                kind: {"reactionType": kind, "count": n} for kind, n in counts.items() if n
            },
            "commentSummary": {
                "count": len(comments),
                "topLevelCount": sum(1 for c in comments if "parentComment" not in c),
            },
            "commentsState": "CLOSED" if r.random() < 0.05 else "OPEN",
        }

    @staticmethod
    def is_video(post: dict) -> bool:
        """A video post, as videoAnalytics takes it: a ugcPost whose media is a video."""
        media = ((post.get("content") or {}).get("media") or {}).get("id", "")
        return post["id"].startswith("urn:li:ugcPost:") and media.startswith("urn:li:video:")

    def video_metric(self, org: Organization, post: dict, metric: str) -> int:
        r = rng(self.seed, org.id, "video", post["id"])
        views = int(r.lognormvariate(6, 1.1))
        viewers = int(views * r.uniform(0.5, 0.9))
        watched = views * r.randint(4_000, 40_000)
        return {"VIDEO_VIEW": views, "VIEWER": viewers, "TIME_WATCHED": watched,
                "TIME_WATCHED_FOR_VIDEO_VIEWS": int(watched * r.uniform(0.8, 0.98))}[metric]  # fmt: skip

    # ------------------------------------------------------------------------------------------------
    # DMA page follows
    # ------------------------------------------------------------------------------------------------
    def page_followers(self, org: Organization, edge_type: str) -> list[dict]:
        if edge_type == "MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE":
            count, kind = self.member_followers_per_org, "person"
        else:
            count, kind = self.page_followers_per_org, "organizationalPage"
        follows = []
        for i in range(count):
            r = rng(self.seed, org.id, "follower", edge_type, i)
            if kind == "person":
                # Members who did not consent come back obfuscated: an opaque id, still one per member.
                follower = "urn:li:person:" + "".join(r.choices(string.ascii_letters + string.digits, k=10))
            else:
                follower = f"urn:li:organizationalPage:{r.randint(10**6, 10**8)}"
            follows.append(
                {
                    "follower": follower,
                    "followee": org.page_urn,
                    "edgeType": edge_type,
                    "lastModifiedAt": day_start_ms(self.anchor)
                    - r.randint(0, 900) * DAY_MS
                    - r.randint(0, DAY_MS),
                }
            )
        return follows

    def followed_pages(self, org: Organization) -> list[dict]:
        return [
            {
                "follower": org.page_urn,
                "followee": f"urn:li:organizationalPage:{rng(self.seed, org.id, 'followed', i).randint(10**6, 10**8)}",
                "edgeType": "ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE",
                "lastModifiedAt": day_start_ms(self.anchor)
                - rng(self.seed, org.id, "followed-at", i).randint(0, 900) * DAY_MS,
            }
            for i in range(self.followed_pages_per_org)
        ]

    # ------------------------------------------------------------------------------------------------
    # Page notifications (Organization Social Action Notifications, pulled)
    # ------------------------------------------------------------------------------------------------
    def notifications(self, org: Organization, until_ms: int, since_ms: int | None = None) -> list[dict]:
        """Every notification of the organization last modified before ``until_ms`` (and at or after
        ``since_ms``; default: since the first day of the post history), newest ``lastModifiedAt`` first,
        in the shape of a pull answer's elements (no ``decorated*`` fields)."""
        since = day_start_ms(self.anchor) - self.post_history_days * DAY_MS if since_ms is None else since_ms
        if until_ms <= since:
            return []
        first, last = ms_to_date(since), ms_to_date(until_ms - 1)
        found = [
            n
            for i in range((last - first).days + 1)
            for n in self._notifications_of_day(org, first + dt.timedelta(days=i))
            if since <= n["lastModifiedAt"] < until_ms
        ]
        return sorted(found, key=lambda n: (n["lastModifiedAt"], n["notificationId"]), reverse=True)

    @cached_property
    def _notification_days(self) -> dict[tuple[int, dt.date], list[dict]]:
        return {}

    @cached_property
    def _posts_by_creation(self) -> dict[int, tuple[list[int], list[dict]]]:
        by_creation = {org.id: sorted(self.posts(org), key=lambda p: (p["createdAt"], p["id"]))
                       for org in self.organizations}  # fmt: skip
        return {key: ([p["createdAt"] for p in listed], listed) for key, listed in by_creation.items()}

    def _notifications_of_day(self, org: Organization, day: dt.date) -> list[dict]:
        """A few notifications a day, each last modified within the day: reactions, comments (a member's or
        the page's own, some edited once or twice, a few deleted), reshares of the page's recent posts, and
        posts that mention the page. A reaction generates no activity: no ``generatedActivity``."""
        cached = self._notification_days.get((org.id, day))
        if cached is not None:
            return cached
        r = rng(self.seed, org.id, "notifications", day.isoformat())
        start = day_start_ms(day)
        created, by_creation = self._posts_by_creation.get(org.id, ([], []))
        before = bisect.bisect_left(created, start)  # the posts created before the day: the last 12 of them
        recent = by_creation[max(0, before - 12) : before]
        made: list[dict] = []

        def notify(action: str, at: int, source: str, generated: str | None) -> None:
            # A bijection of (day, sequence, organization): unique, a long, about half of them negative.
            base = ((day.toordinal() * 64 + len(made)) << 27) | (org.id & (2**27 - 1))
            element = {"action": action, "notificationId": (base * 0x2545F4914F6CDD1D + 0x9E3779B97F4A7C15)
                       % 2**53 - 2**52, "lastModifiedAt": at, "sourcePost": source,
                       "organizationalEntity": org.urn}  # fmt: skip
            if generated is not None:
                element["generatedActivity"] = generated
            made.append(element)

        for i in range(r.randint(0, 6)):
            numeric = 7_200_000_000_000_000_000 + _seed(self.seed, org.id, day.isoformat(), i) % 10**18
            at = start + r.randrange(DAY_MS * 3 // 4)
            [kind] = r.choices(NOTIFIED_EVENTS, [7, 5, 2, 3, 3])
            if not recent or kind == "SHARE_MENTION":  # a member's post that mentions the page
                notify("SHARE_MENTION", at, f"urn:li:activity:{numeric + r.randint(10**8, 10**9)}",
                       f"urn:li:share:{numeric}")  # fmt: skip
                continue
            activity = self.activity_of(r.choice(recent))
            if kind == "LIKE":
                notify("LIKE", at, activity, None)
            elif kind == "SHARE":
                notify("SHARE", at, activity, f"urn:li:share:{numeric}")
            else:
                comment = f"urn:li:comment:({activity},{numeric})"
                notify(kind, at, activity, comment)
                for _ in range(r.choices([0, 1, 2], [80, 14, 6])[0]):  # edited once or twice
                    at = r.randint(at + 1, start + DAY_MS - 2)
                    notify("COMMENT_EDIT", at, activity, comment)
                if r.random() < 0.08:
                    notify("COMMENT_DELETE", r.randint(at + 1, start + DAY_MS - 1), activity, comment)
        self._notification_days[org.id, day] = made
        return made

    # ------------------------------------------------------------------------------------------------
    # DMA content analytics: daily series whose sums are the lifetime statistics
    # ------------------------------------------------------------------------------------------------
    def post_daily(self, org: Organization, post_urn: str) -> dict[dt.date, dict[str, tuple[int, int]]]:
        """A post's day-by-day content analytics, ``{day: {metric: (organic, sponsored)}}`` for each day with
        activity, from its creation day on: most impressions in the first days, a tail over weeks; a sponsored
        (DSC) post sponsored throughout, a few others for a few days. Each metric sums, over all days, to its
        lifetime statistics (``post_statistics``: IMPRESSIONS to impressionCount, UNIQUE_IMPRESSIONS to
        uniqueImpressionsCount, CLICKS to clickCount, COMMENTS to commentCount, REACTIONS to likeCount,
        REPOSTS to shareCount; a negative likeCount, LinkedIn's unliked sponsored likes, falls on the first
        day). A post without lifetime statistics has no day."""
        key = (org.id, post_urn)
        if key not in self._post_daily_cache:
            self._post_daily_cache[key] = self._make_post_daily(org, post_urn)
        return self._post_daily_cache[key]

    @cached_property
    def _post_daily_cache(self) -> dict[tuple[int, str], dict[dt.date, dict[str, tuple[int, int]]]]:
        return {}

    def _make_post_daily(self, org: Organization, post_urn: str) -> dict[dt.date, dict[str, tuple[int, int]]]:
        post, stats = self.post(org, post_urn), self.post_statistics(org, post_urn)
        if post is None or stats is None:
            return {}
        r = rng(self.seed, org.id, "post-daily", post_urn)
        first = ms_to_date(post["createdAt"])
        decay = r.uniform(1.2, 4.0)
        weights = [math.exp(-k / decay) + r.uniform(0.0, 0.03) for k in range(r.randint(14, 60))]
        sponsored = [0.0] * len(weights)
        if "adContext" in post:  # a Direct Sponsored Content post: sponsored throughout
            sponsored = [r.uniform(0.6, 0.95)] * len(weights)
        elif r.random() < 0.12:  # boosted for a few days
            begin, share = r.randint(0, 3), r.uniform(0.3, 0.8)
            for k in range(begin, min(len(weights), begin + r.randint(2, 6))):
                sponsored[k] = share
        series: dict[int, dict[str, tuple[int, int]]] = {}
        for metric, field_name in CONTENT_LIFETIME_FIELDS.items():
            total = stats[field_name]
            values = apportion(total, weights) if total >= 0 else [total] + [0] * (len(weights) - 1)
            for k, value in enumerate(values):
                paid = round(value * sponsored[k]) if value > 0 else 0
                series.setdefault(k, {})[metric] = (value - paid, paid)
        return {
            first + dt.timedelta(days=k): metrics
            for k, metrics in series.items()
            if any(organic or paid for organic, paid in metrics.values())
        }

    def page_daily(self, org: Organization) -> dict[dt.date, dict[str, tuple[int, int]]]:
        """The page's day-by-day content analytics: each day, the sum over the organization's posts."""
        if org.id not in self._page_daily_cache:
            days: dict[dt.date, dict[str, tuple[int, int]]] = {}
            for post in self.posts(org):
                for day, metrics in self.post_daily(org, post["id"]).items():
                    slot = days.setdefault(day, {m: (0, 0) for m in CONTENT_LIFETIME_FIELDS})
                    for metric, (organic, paid) in metrics.items():
                        slot[metric] = (slot[metric][0] + organic, slot[metric][1] + paid)
            self._page_daily_cache[org.id] = dict(sorted(days.items()))
        return self._page_daily_cache[org.id]

    @cached_property
    def _page_daily_cache(self) -> dict[int, dict[dt.date, dict[str, tuple[int, int]]]]:
        return {}

    # ------------------------------------------------------------------------------------------------
    # Company Intelligence
    # ------------------------------------------------------------------------------------------------
    def companies(self, account: AdAccount, lookback: str) -> list[dict]:
        """Engaged companies of an ad account, sorted by paidImpressions descending (as LinkedIn sorts them)."""
        factor = {"LAST_7_DAYS": 0.12, "LAST_30_DAYS": 0.4, "LAST_60_DAYS": 0.7, "LAST_90_DAYS": 1.0}[
            lookback
        ]
        rows = []
        for i in range(self.companies_per_account):
            r = rng(self.seed, account.id, "company", i)
            name = f"{r.choice(COMPANY_WORDS)} {r.choice(COMPANY_WORDS)} {i}"
            slug = name.lower().replace(" ", "-")
            paid_impressions = int(r.lognormvariate(5, 1.3) * factor)
            rows.append(
                {
                    "companyName": name,
                    "companyPageUrl": f"https://www.linkedin.com/company/{slug}",
                    "companyWebsite": f"https://www.{slug}.example",
                    "engagementLevel": ENGAGEMENT_LEVELS[min(4, int(r.random() ** 1.5 * 5))],
                    "paidImpressions": paid_impressions,
                    "paidClicks": int(paid_impressions * r.uniform(0, 0.02)),
                    "paidEngagements": int(paid_impressions * r.uniform(0, 0.05)),
                    "paidLeads": r.randint(0, 3) if r.random() < 0.1 else 0,
                    "organicImpressions": int(r.lognormvariate(4, 1.2) * factor),
                    "organicEngagements": int(r.lognormvariate(1.5, 1.0) * factor),
                    # Added in 202606 (the emulator serves them from that version on).
                    "companySize": r.choice(STAFF_RANGES),
                    "industry": r.choice(INDUSTRIES),
                    "countryCode": r.choice(["US", "GB", "DE", "FR", "NL", "IN", "BR"]),
                }
            )
        rows.sort(key=lambda row: (-row["paidImpressions"], row["companyPageUrl"]))
        return rows
