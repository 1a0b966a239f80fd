-- dns-bypass: pods talking DNS (53) or DNS-over-TLS (853), TCP or UDP, to internet resolvers instead of the VPC
-- resolver, as NAT legs grouped per pod IP and record start (see who.sql for the leg semantics).
-- Internal resolvers (the VPC's .2, CoreDNS, peered networks) are excluded by classifying both ends with the full
-- internal range list, not three LIKE prefixes.
-- @params internal_cidrs internal_cidrs day_from day_to t_from t_to
SELECT leg, pod_ip, external_ip, port, protocol, at,
  count(*) AS flows,
  sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  sum(bytes) AS bytes
FROM (
  SELECT
    CASE WHEN src_internal THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN src_internal THEN pkt_srcaddr ELSE pkt_dstaddr END AS pod_ip,
    CASE WHEN src_internal THEN pkt_dstaddr ELSE pkt_srcaddr END AS external_ip,
    CASE WHEN src_internal THEN dstport ELSE srcport END AS port,
    protocol, "start" AS at, action, bytes
  FROM (
    SELECT pkt_srcaddr, pkt_dstaddr, srcport, dstport, protocol, "start", action, bytes,
      cardinality(filter(split(?, ','), c -> contains(c, TRY_CAST(pkt_srcaddr AS IPADDRESS)))) > 0 AS src_internal,
      cardinality(filter(split(?, ','), c -> contains(c, TRY_CAST(pkt_dstaddr AS IPADDRESS)))) > 0 AS dst_internal
    FROM vpc_flow_logs_nat
    WHERE day BETWEEN ? AND ?
      AND "start" >= ? AND "start" < ?
      AND (dstport IN (53, 853) OR srcport IN (53, 853))
      AND protocol IN (6, 17)
      AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
  ) translated
  WHERE (src_internal AND NOT dst_internal AND dstport IN (53, 853))
     OR (dst_internal AND NOT src_internal AND srcport IN (53, 853))
) legs
GROUP BY leg, pod_ip, external_ip, port, protocol, at
