{{ config(materialized='table') }}
-- Every gateway's credit notes, one contract (see _intermediate__models.yml): the
-- int_<gateway>__credit_notes model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('credit_notes') }}
