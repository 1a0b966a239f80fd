-- who-cidr: traffic between pods and every internet address of a range (`who 142.250.0.0/16`), as NAT legs grouped
-- per pod IP, address, port and record start, counted as who.sql counts them (the two translated records of a
-- connection). A record's direction comes from which side is internal (internal_cidrs), not from which side is in
-- the range, since a range may hold both sides (100.0.0.0/8 holds 100.64/10):
--   leg 'out': internal pkt_srcaddr -> internet pkt_dstaddr in the range (flows, rejects, bytes out)
--   leg 'in' : internet pkt_srcaddr in the range -> internal pkt_dstaddr (bytes in; port = srcport)
-- Records with both sides internal, or both external, are no egress and dropped.
-- @params day_from day_to t_from t_to cidr cidr internal_cidrs internal_cidrs cidr
WITH recs AS (
  SELECT
    pkt_srcaddr AS src,
    pkt_dstaddr AS dst,
    srcport,
    dstport,
    protocol,
    "start" AS ts,
    count(*) AS flows,
    sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND (contains(?, TRY_CAST(pkt_dstaddr AS IPADDRESS)) OR contains(?, TRY_CAST(pkt_srcaddr AS IPADDRESS)))
    AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
  GROUP BY 1, 2, 3, 4, 5, 6
),
sides AS (
  SELECT
    recs.*,
    cardinality(filter(split(?, ','), c -> contains(c, TRY_CAST(recs.src AS IPADDRESS)))) > 0 AS src_internal,
    cardinality(filter(split(?, ','), c -> contains(c, TRY_CAST(recs.dst AS IPADDRESS)))) > 0 AS dst_internal
  FROM recs
)
SELECT
  CASE WHEN src_internal THEN 'out' ELSE 'in' END AS leg,
  CASE WHEN src_internal THEN src ELSE dst END AS pod_ip,
  CASE WHEN src_internal THEN dst ELSE src END AS external_ip,
  CASE WHEN src_internal THEN dstport ELSE srcport END AS port,
  protocol,
  ts,
  sum(flows) AS flows,
  sum(rejected) AS rejected,
  sum(bytes) AS bytes
FROM sides
WHERE src_internal <> dst_internal
  AND contains(?, TRY_CAST(CASE WHEN src_internal THEN dst ELSE src END AS IPADDRESS))
GROUP BY 1, 2, 3, 4, 5, 6
