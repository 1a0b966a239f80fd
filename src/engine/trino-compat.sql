-- Trino (Athena engine v3) functions and types that queries/*.sql use and DuckDB lacks or names differently.
-- Loaded into every DuckDB connection so the query text stays exactly what Athena runs.
CREATE TYPE IF NOT EXISTS ipaddress AS VARCHAR;
CREATE OR REPLACE MACRO from_unixtime(x) AS to_timestamp(x);
CREATE OR REPLACE MACRO to_unixtime(ts) AS epoch(ts);
CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ);
CREATE OR REPLACE MACRO cardinality(l) AS len(l);
CREATE OR REPLACE MACRO array_join(l, sep) AS array_to_string(l, sep);
-- sequence(a, b): Trino's inclusive integer list (DuckDB's generate_series as a list function).
CREATE OR REPLACE MACRO sequence(egress_a, egress_b) AS generate_series(egress_a, egress_b);
-- contains(network, address): Trino's CIDR membership test, for IPv4 and IPv6 text. Unparseable input → NULL/false.
-- DuckDB expands a macro's argument at every use, so nested helpers that use an argument several times grow the plan
-- exponentially (tens of ms to plan one query); each value is bound once instead, as the lambda parameter of a
-- one-element list: list_transform([value], v -> …)[1].
CREATE OR REPLACE MACRO egress_ip4(s) AS
  list_transform([string_split(s, '.')], egress_p -> CASE WHEN len(egress_p) = 4 THEN
    (TRY_CAST(egress_p[1] AS UBIGINT) << 24) + (TRY_CAST(egress_p[2] AS UBIGINT) << 16)
    + (TRY_CAST(egress_p[3] AS UBIGINT) << 8) + TRY_CAST(egress_p[4] AS UBIGINT) END)[1];
CREATE OR REPLACE MACRO egress_ip6_part(egress_p) AS CASE WHEN egress_p = '' THEN []::VARCHAR[] ELSE string_split(egress_p, ':') END;
-- The 32 hex digits of an IPv6 address ('::' expanded, each group padded), or something else for bad input.
CREATE OR REPLACE MACRO egress_ip6_hex(s) AS
  list_transform([lower(s)], egress_l -> array_to_string(list_transform(
    CASE WHEN strpos(egress_l, '::') = 0 THEN string_split(egress_l, ':')
    ELSE list_transform([[egress_ip6_part(split_part(egress_l, '::', 1)), egress_ip6_part(split_part(egress_l, '::', 2))]],
      egress_h -> list_concat(egress_h[1], list_transform(range(8 - len(egress_h[1]) - len(egress_h[2])), egress_x -> '0'), egress_h[2]))[1]
    END, egress_g -> lpad(egress_g, 4, '0')), ''))[1];
CREATE OR REPLACE MACRO egress_hi(egress_h) AS TRY_CAST('0x' || substr(egress_h, 1, 16) AS UBIGINT);
CREATE OR REPLACE MACRO egress_lo(egress_h) AS TRY_CAST('0x' || substr(egress_h, 17, 16) AS UBIGINT);
CREATE OR REPLACE MACRO egress_ip6_in(net, plen, ip) AS
  list_transform([[egress_ip6_hex(ip), egress_ip6_hex(net)]], egress_h -> list_transform([plen], egress_n ->
    CASE WHEN length(egress_h[1]) <> 32 OR length(egress_h[2]) <> 32 OR egress_n IS NULL OR egress_n < 0 OR egress_n > 128 THEN NULL
    WHEN egress_n = 0 THEN true
    WHEN egress_n <= 64 THEN (egress_hi(egress_h[1]) >> (64 - egress_n)) = (egress_hi(egress_h[2]) >> (64 - egress_n))
    ELSE egress_hi(egress_h[1]) = egress_hi(egress_h[2]) AND (egress_lo(egress_h[1]) >> (128 - egress_n)) = (egress_lo(egress_h[2]) >> (128 - egress_n))
    END)[1])[1];
CREATE OR REPLACE MACRO contains(net, ip) AS
  list_transform([[net, ip]], egress_a -> list_transform([TRY_CAST(split_part(egress_a[1], '/', 2) AS INTEGER)], egress_n ->
    CASE WHEN egress_a[1] IS NULL OR egress_a[2] IS NULL THEN NULL
    WHEN strpos(egress_a[1], ':') = 0 AND strpos(egress_a[2], ':') = 0 THEN
      CASE WHEN egress_n IS NULL OR egress_n < 0 OR egress_n > 32 THEN NULL
      WHEN egress_n = 0 THEN egress_ip4(egress_a[2]) IS NOT NULL AND egress_ip4(split_part(egress_a[1], '/', 1)) IS NOT NULL
      ELSE (egress_ip4(egress_a[2]) >> (32 - egress_n)) = (egress_ip4(split_part(egress_a[1], '/', 1)) >> (32 - egress_n)) END
    WHEN strpos(egress_a[1], ':') > 0 AND strpos(egress_a[2], ':') > 0 THEN egress_ip6_in(split_part(egress_a[1], '/', 1), egress_n, egress_a[2])
    ELSE false
    END)[1])[1];
