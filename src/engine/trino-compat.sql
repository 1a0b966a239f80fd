-- Trino (Athena engine v3) functions and types that queries/*.sql use and DuckDB lacks or names differently.
-- Loaded into every DuckDB connection so the query text stays exactly what Athena runs.
CREATE TYPE IF NOT EXISTS ipaddress AS VARCHAR;
CREATE OR REPLACE MACRO from_unixtime(x) AS to_timestamp(x);
CREATE OR REPLACE MACRO to_unixtime(ts) AS epoch(ts);
CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ);
CREATE OR REPLACE MACRO cardinality(l) AS len(l);
CREATE OR REPLACE MACRO array_join(l, sep) AS array_to_string(l, sep);
-- contains(network, address): Trino's CIDR membership test, for IPv4 and IPv6 text. Unparseable input → NULL/false.
CREATE OR REPLACE MACRO egress_ip4(s) AS
  (TRY_CAST(split_part(s, '.', 1) AS UBIGINT) << 24) + (TRY_CAST(split_part(s, '.', 2) AS UBIGINT) << 16)
  + (TRY_CAST(split_part(s, '.', 3) AS UBIGINT) << 8) + TRY_CAST(split_part(s, '.', 4) AS UBIGINT);
CREATE OR REPLACE MACRO egress_ip6_part(p) AS CASE WHEN p = '' THEN []::VARCHAR[] ELSE string_split(p, ':') END;
CREATE OR REPLACE MACRO egress_ip6_groups(s) AS
  CASE WHEN strpos(s, '::') = 0 THEN string_split(s, ':')
  ELSE list_concat(
    egress_ip6_part(split_part(s, '::', 1)),
    list_transform(range(8 - len(egress_ip6_part(split_part(s, '::', 1))) - len(egress_ip6_part(split_part(s, '::', 2)))),
      x -> '0'),
    egress_ip6_part(split_part(s, '::', 2)))
  END;
CREATE OR REPLACE MACRO egress_ip6_hex(s) AS
  array_to_string(list_transform(egress_ip6_groups(lower(s)), g -> lpad(g, 4, '0')), '');
CREATE OR REPLACE MACRO egress_hi(h) AS TRY_CAST('0x' || substr(h, 1, 16) AS UBIGINT);
CREATE OR REPLACE MACRO egress_lo(h) AS TRY_CAST('0x' || substr(h, 17, 16) AS UBIGINT);
CREATE OR REPLACE MACRO egress_ip6_in(net, plen, ip) AS
  CASE WHEN length(egress_ip6_hex(ip)) <> 32 OR length(egress_ip6_hex(net)) <> 32 THEN NULL
  WHEN plen = 0 THEN true
  WHEN plen <= 64 THEN (egress_hi(egress_ip6_hex(ip)) >> (64 - plen)) = (egress_hi(egress_ip6_hex(net)) >> (64 - plen))
  ELSE egress_hi(egress_ip6_hex(ip)) = egress_hi(egress_ip6_hex(net))
    AND (egress_lo(egress_ip6_hex(ip)) >> (128 - plen)) = (egress_lo(egress_ip6_hex(net)) >> (128 - plen))
  END;
CREATE OR REPLACE MACRO contains(net, ip) AS
  CASE WHEN ip IS NULL OR net IS NULL THEN NULL
  WHEN strpos(net, ':') = 0 AND strpos(ip, ':') = 0 THEN
    (egress_ip4(ip) >> (32 - TRY_CAST(split_part(net, '/', 2) AS INTEGER)))
      = (egress_ip4(split_part(net, '/', 1)) >> (32 - TRY_CAST(split_part(net, '/', 2) AS INTEGER)))
  WHEN strpos(net, ':') > 0 AND strpos(ip, ':') > 0 THEN
    egress_ip6_in(split_part(net, '/', 1), TRY_CAST(split_part(net, '/', 2) AS INTEGER), ip)
  ELSE false
  END;
