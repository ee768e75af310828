"""The analyses of the demo's summary, as SQL over the DuckDB database PyAirbyte wrote.

They follow the use cases of a LinkedIn organic data model (post engagement, follower growth, visitor
demographics). PyAirbyte lower-cases column names and stores nested objects as JSON.
"""

PREVIEW = "left(regexp_replace(p.commentary, '\\s+', ' ', 'g'), 44) || '…'"

POST_ENGAGEMENT = f"""
SELECT o.localizedname                                                  AS page,
       {PREVIEW}   AS post_preview,
       strftime(to_timestamp(p.publishedat / 1000), '%Y-%m-%d')         AS published,
       upper(coalesce(json_keys(p.content)[1], 'text'))                 AS content_type,
       (s.totalsharestatistics->>'impressionCount')::BIGINT             AS impressions,
       (s.totalsharestatistics->>'clickCount')::BIGINT                  AS clicks,
       (s.totalsharestatistics->>'likeCount')::BIGINT                   AS likes,
       (s.totalsharestatistics->>'commentCount')::BIGINT                AS comments,
       (s.totalsharestatistics->>'shareCount')::BIGINT                  AS shares,
       round(100 * (s.totalsharestatistics->>'engagement')::DOUBLE, 2)  AS engagement_rate_pct
FROM posts p
JOIN post_statistics s ON s.post = p.id
LEFT JOIN organization_lookup o ON p.author = 'urn:li:organization:' || o.id
ORDER BY clicks + likes + comments + shares DESC
LIMIT 10
"""

FOLLOWER_GROWTH = """
WITH daily AS (
    SELECT to_timestamp(timerangestart / 1000)::DATE                AS report_date,
           sum((followergains->>'organicFollowerGain')::BIGINT)      AS organic_gained,
           sum((followergains->>'paidFollowerGain')::BIGINT)         AS paid_gained
    FROM follower_statistics_time_bound
    GROUP BY 1
), growth AS (
    SELECT report_date, organic_gained, paid_gained, organic_gained + paid_gained AS total_gained,
           sum(organic_gained + paid_gained) OVER (ORDER BY report_date)                             AS cumulative_growth,
           round(avg(organic_gained + paid_gained) OVER (ORDER BY report_date ROWS 6 PRECEDING), 1) AS seven_day_moving_avg,
           round(100.0 * organic_gained / nullif(organic_gained + paid_gained, 0), 1)                AS organic_pct
    FROM daily
)
SELECT * FROM growth ORDER BY report_date DESC LIMIT 14
"""

# Reactions as the feed shows them (socialMetadata), by type, for the posts with the most.
REACTIONS = f"""
WITH reactions AS (
    SELECT m.post, coalesce((m.reactionsummaries->kind->>'count')::BIGINT, 0) AS n, kind
    FROM post_social_metadata m,
         unnest(['LIKE', 'PRAISE', 'EMPATHY', 'INTEREST', 'APPRECIATION', 'ENTERTAINMENT']) AS t(kind)
)
SELECT o.localizedname AS page, {PREVIEW} AS post_preview,
       sum(n) FILTER (kind = 'LIKE') AS "like", sum(n) FILTER (kind = 'PRAISE') AS celebrate,
       sum(n) FILTER (kind = 'EMPATHY') AS love, sum(n) FILTER (kind = 'INTEREST') AS insightful,
       sum(n) FILTER (kind = 'APPRECIATION') AS support, sum(n) FILTER (kind = 'ENTERTAINMENT') AS funny,
       sum(n) AS total
FROM reactions r
JOIN posts p ON p.id = r.post
LEFT JOIN organization_lookup o ON p.author = 'urn:li:organization:' || o.id
GROUP BY ALL
ORDER BY total DESC
LIMIT 10
"""

MOST_COMMENTED = f"""
SELECT o.localizedname                                   AS page,
       {PREVIEW}                                         AS post_preview,
       count(*) FILTER (c.parentcomment IS NULL)         AS comments,
       count(*) FILTER (c.parentcomment IS NOT NULL)     AS replies,
       count(DISTINCT c.actor)                           AS commenters,
       count(*) FILTER (c.actor LIKE 'urn:li:organization:%') AS by_pages,
       strftime(to_timestamp(max(c.lastmodifiedat) / 1000), '%Y-%m-%d') AS latest
FROM post_comments c
JOIN posts p ON p.id = c.post
LEFT JOIN organization_lookup o ON p.author = 'urn:li:organization:' || o.id
GROUP BY ALL
ORDER BY comments + replies DESC
LIMIT 10
"""


def demographics(table: str, facet: str, counts: str, label: str) -> str:
    """One facet of a demographics table, today's snapshot, all pages, with the names facet_names gives."""
    return f"""
WITH today AS (
    SELECT value, sum(({counts})::BIGINT) AS n
    FROM {table}
    WHERE facet = '{facet}' AND snapshotdate = (SELECT max(snapshotdate) FROM {table})
    GROUP BY 1
)
SELECT coalesce(f.name, today.value) AS {label}, n AS {"followers" if "follower" in table else "page_views"},
       round(100.0 * n / sum(n) OVER (), 1) AS pct_of_total
FROM today LEFT JOIN facet_names f ON f.urn = today.value
ORDER BY n DESC
LIMIT 10
"""


# Showcase pages next to their parent: page views of the last 30 days LinkedIn served, per page.
SHOWCASE_VIEWS = """
WITH views AS (
    SELECT organization AS parent, organization AS page_urn, 'page' AS kind,
           (totalpagestatistics->'views'->'allPageViews'->>'pageViews')::BIGINT AS views, timerangestart
    FROM page_statistics_time_bound
    UNION ALL
    SELECT organization, brand, 'showcase page',
           (totalpagestatistics->'views'->'allPageViews'->>'pageViews')::BIGINT, timerangestart
    FROM showcase_page_statistics_time_bound
)
SELECT o.localizedname AS organization, coalesce(s.localizedname, o.localizedname) AS page, v.kind,
       sum(v.views) AS views_last_30_days
FROM views v
LEFT JOIN organization_lookup o ON v.parent = 'urn:li:organization:' || o.id
LEFT JOIN showcase_pages s ON v.page_urn = 'urn:li:organizationBrand:' || s.id
WHERE v.timerangestart >= (SELECT max(timerangestart) FROM views) - 2505600000::BIGINT
GROUP BY ALL
ORDER BY organization, kind, views_last_30_days DESC
"""

# What people said about the pages lately: LinkedIn keeps these notifications 60 days.
LATEST_MENTIONS = """
SELECT o.localizedname AS page, n.action,
       strftime(to_timestamp(n.lastmodifiedat / 1000), '%Y-%m-%d %H:%M') AS at_utc,
       coalesce(n.generatedactivity, n.sourcepost) AS activity
FROM page_notifications n
LEFT JOIN organization_lookup o ON n.organizationalentity = 'urn:li:organization:' || o.id
ORDER BY n.lastmodifiedat DESC
LIMIT 10
"""

# A post's first 14 days (DMA content analytics) next to its lifetime totals (share statistics): the most seen
# post whose first two weeks LinkedIn has served. LinkedIn counts the two apart; the days need not add up to it.
FIRST_14_DAYS = """
WITH chosen AS (
    SELECT d.post
    FROM post_daily_statistics d
    JOIN post_statistics s ON s.post = d.post
    GROUP BY d.post
    HAVING min(d.timerangestart) <= (SELECT max(timerangestart) FROM post_daily_statistics) - 1209600000::BIGINT
    ORDER BY max((s.totalsharestatistics->>'impressionCount')::BIGINT) DESC
    LIMIT 1
), days AS (
    SELECT d.post, d.day, row_number() OVER (ORDER BY d.timerangestart) AS day_number,
           (d.impressions->>'total')::BIGINT     AS impressions,
           (d.impressions->>'organic')::BIGINT   AS organic,
           (d.impressions->>'sponsored')::BIGINT AS sponsored,
           (d.clicks->>'total')::BIGINT          AS clicks
    FROM post_daily_statistics d JOIN chosen USING (post)
)
SELECT d.day_number, d.day, d.impressions, d.organic, d.sponsored, d.clicks,
       sum(d.impressions) OVER (ORDER BY d.day_number)          AS impressions_so_far,
       (s.totalsharestatistics->>'impressionCount')::BIGINT     AS lifetime_impressions
FROM days d JOIN post_statistics s USING (post)
WHERE d.day_number <= 14
ORDER BY d.day_number
"""

FOLLOWERS = "followercounts->>'organicFollowerCount'"  # in the breakdowns, every follower of the value
VIEWS = "pagestatistics->'views'->'allPageViews'->>'pageViews'"

ANALYSES = [
    ("Post engagement overview: the 10 most engaging posts", POST_ENGAGEMENT),
    ("Reactions by type, as the feed shows them: the 10 posts with the most", REACTIONS),
    ("The 10 most-commented posts", MOST_COMMENTED),
    ("Follower growth, all pages: the last 14 days LinkedIn has served", FOLLOWER_GROWTH),
    ("Page views of the last 30 days: each page next to its showcase pages", SHOWCASE_VIEWS),
    ("The latest mentions, comments and reshares (page notifications)", LATEST_MENTIONS),
    ("A post's first 14 days, next to its lifetime impressions (DMA daily analytics)", FIRST_14_DAYS),
    ("Followers by seniority (all pages, today's snapshot)",
     demographics("follower_demographics", "followerCountsBySeniority", FOLLOWERS, "seniority")),
    ("Followers by job function: the top 10 (all pages, today's snapshot)",
     demographics("follower_demographics", "followerCountsByFunction", FOLLOWERS, "function")),
    ("Page visitors by seniority (lifetime views, today's snapshot)",
     demographics("visitor_demographics", "pageStatisticsBySeniority", VIEWS, "seniority")),
]  # fmt: skip
