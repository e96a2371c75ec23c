{{ config(materialized='table') }}
-- Every gateway's invoices, one contract (see _intermediate__models.yml): the
-- int_<gateway>__invoices model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('invoices') }}
