{{ config(materialized='table') }}
-- Every gateway's refunds, one contract (see _intermediate__models.yml): the
-- int_<gateway>__refunds model of each gateway vars.gateway_contracts says feeds it.
{{ union_gateways('refunds') }}
