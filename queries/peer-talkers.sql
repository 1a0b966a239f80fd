-- peer-talkers: bytes through the NAT gateway between pod IPs and a set of internet peers (the AWS-service addresses
-- `cost` found), per pod IP, peer and time bucket, so each bucket is attributed to the pod that held the IP then
-- (the workloads that would stop paying NAT processing behind a VPC endpoint). Counted as talkers.sql counts:
--   out leg (dstaddr <> pkt_dstaddr): pod -> NAT, pod = pkt_srcaddr, peer = pkt_dstaddr;
--   in leg  (otherwise)             : NAT -> pod, pod = pkt_dstaddr, peer = pkt_srcaddr.
-- NAT-translated, ACCEPTed records only; ts is the bucket's earliest record start.
-- @params ips granularity day_from day_to t_from t_to
WITH peers AS (
  SELECT DISTINCT t.ip FROM UNNEST(split(?, ',')) AS t(ip)
)
SELECT
  CASE WHEN r.dstaddr <> r.pkt_dstaddr THEN r.pkt_srcaddr ELSE r.pkt_dstaddr END AS pod_ip,
  CASE WHEN r.dstaddr <> r.pkt_dstaddr THEN r.pkt_dstaddr ELSE r.pkt_srcaddr END AS peer,
  r."start" - r."start" % ? AS bucket,
  min(r."start") AS ts,
  sum(CASE WHEN r.dstaddr <> r.pkt_dstaddr THEN r.bytes ELSE 0 END) AS nat_out,
  sum(CASE WHEN r.dstaddr <> r.pkt_dstaddr THEN 0 ELSE r.bytes END) AS nat_in
FROM vpc_flow_logs_nat r
WHERE r.day BETWEEN ? AND ?
  AND r."start" >= ? AND r."start" < ?
  AND (r.srcaddr <> r.pkt_srcaddr OR r.dstaddr <> r.pkt_dstaddr)
  AND r.action = 'ACCEPT'
  AND (r.pkt_dstaddr IN (SELECT ip FROM peers) OR r.pkt_srcaddr IN (SELECT ip FROM peers))
GROUP BY 1, 2, 3
