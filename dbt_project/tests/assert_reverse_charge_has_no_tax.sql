{{ config(severity='warn') }}
-- A reverse-charged sale carries no tax: the buyer accounts for it.
select *
from {{ ref('rpt_tax_by_rate') }}
where is_reverse_charge and tax_minor != 0
