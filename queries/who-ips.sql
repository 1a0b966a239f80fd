-- who-ips: traffic between pods and a set of internet addresses (the addresses a name resolved to), as NAT legs
-- grouped per pod IP, address, port and record start, exactly as who.sql does for one address: only the two
-- translated records of a connection count (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr);
--   leg 'out': pod -> NAT, pkt_dstaddr = one of the addresses (flows, rejects, bytes out)
--   leg 'in' : NAT -> pod, pkt_srcaddr = one of the addresses (bytes in; port = srcport)
-- The caller keeps the legs whose pod side is internal (its classifier, the same ranges as internal_cidrs elsewhere):
-- per-row range tests in SQL would be pushed below the grouping and run once per record.
-- @params ips day_from day_to t_from t_to
WITH targets AS (
  SELECT DISTINCT t.ip FROM UNNEST(split(?, ',')) AS t(ip)
),
legs AS (
  SELECT
    CASE WHEN o.ip IS NOT NULL THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN o.ip IS NOT NULL THEN r.pkt_srcaddr ELSE r.pkt_dstaddr END AS pod_ip,
    CASE WHEN o.ip IS NOT NULL THEN r.pkt_dstaddr ELSE r.pkt_srcaddr END AS external_ip,
    CASE WHEN o.ip IS NOT NULL THEN r.dstport ELSE r.srcport END AS port,
    r.protocol,
    r."start" AS ts,
    count(*) AS flows,
    sum(CASE WHEN r.action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(r.bytes) AS bytes
  FROM vpc_flow_logs_nat r
  LEFT JOIN targets o ON o.ip = r.pkt_dstaddr
  WHERE r.day BETWEEN ? AND ?
    AND r."start" >= ? AND r."start" < ?
    AND (r.pkt_dstaddr IN (SELECT ip FROM targets) OR r.pkt_srcaddr IN (SELECT ip FROM targets))
    AND (r.srcaddr <> r.pkt_srcaddr OR r.dstaddr <> r.pkt_dstaddr)
  GROUP BY 1, 2, 3, 4, 5, 6
)
SELECT leg, pod_ip, external_ip, port, protocol, ts, flows, rejected, bytes
FROM legs
