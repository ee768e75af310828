"""The three analyses of the demo's summary, as SQL over the DuckDB database PyAirbyte wrote.

They follow the use cases of a LinkedIn organic data model (post engagement, follower growth, visitor
demographics). PyAirbyte lower-cases column names and stores nested objects as JSON.
"""

# LinkedIn's standardized seniority codes.
SENIORITY_NAMES = """
    (VALUES ('urn:li:seniority:1', 'Unpaid'), ('urn:li:seniority:2', 'Training'), ('urn:li:seniority:3', 'Entry'),
            ('urn:li:seniority:4', 'Senior'), ('urn:li:seniority:5', 'Manager'), ('urn:li:seniority:6', 'Director'),
            ('urn:li:seniority:7', 'VP'), ('urn:li:seniority:8', 'CXO'), ('urn:li:seniority:9', 'Partner'),
            ('urn:li:seniority:10', 'Owner')) AS names(urn, name)
"""

POST_ENGAGEMENT = """
SELECT o.localizedname                                                  AS page,
       left(regexp_replace(p.commentary, '\\s+', ' ', 'g'), 44) || '…'   AS post_preview,
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

VISITOR_SENIORITY = f"""
WITH facets AS (
    SELECT unnest(from_json(pagestatisticsbyseniority, '["JSON"]')) AS facet FROM page_statistics
), views AS (
    SELECT facet->>'seniority'                                                             AS seniority,
           sum((facet->'pageStatistics'->'views'->'allPageViews'->>'pageViews')::BIGINT)       AS total_views,
           sum((facet->'pageStatistics'->'views'->'allPageViews'->>'uniquePageViews')::BIGINT) AS unique_views
    FROM facets
    GROUP BY 1
)
SELECT coalesce(names.name, views.seniority) AS seniority, total_views, unique_views,
       round(100.0 * total_views / sum(total_views) OVER (), 1) AS pct_of_total
FROM views LEFT JOIN {SENIORITY_NAMES} ON names.urn = views.seniority
ORDER BY total_views DESC
"""

ANALYSES = [
    ("Post engagement overview: the 10 most engaging posts", POST_ENGAGEMENT),
    ("Follower growth, all pages: the last 14 days LinkedIn has served", FOLLOWER_GROWTH),
    ("Page visitor demographics by seniority (lifetime)", VISITOR_SENIORITY),
]
