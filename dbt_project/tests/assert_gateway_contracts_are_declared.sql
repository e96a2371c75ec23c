-- The gateways' conforming models and their declaration (vars.gateway_contracts in
-- dbt_project.yml) agree: every int_<gateway>__<entity> model of a gateway in vars.gateways
-- is declared (else union_gateways would leave it out silently), and a declared one exists
-- (else the parse already failed naming it). A gateway with conforming models that
-- vars.gateways does not list is reported too: its data would reach no mart. Structural:
-- blocks. Read from dbt's graph when the test runs (the graph is complete then; at parse
-- time it is not, which is why the unions read the declaration).
{%- set problems = [] -%}
{%- if execute -%}
    {%- set declared = var('gateway_contracts', {}) -%}
    {%- set found = {} -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- if node.name.startswith('int_') and '__' in node.name -%}
            {%- set gateway = node.name[4:].split('__')[0] -%}
            {%- set entity = node.name.split('__', 1)[1] -%}
            {%- if entity in gateway_contract_names() -%}
                {%- do found.setdefault(gateway, []).append(entity) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for gateway, entities in found.items() -%}
        {%- if gateway not in var('gateways') -%}
            {%- do problems.append(gateway ~ ": has conforming models but is not in vars.gateways") -%}
        {%- else -%}
            {%- for entity in entities if entity not in declared.get(gateway, []) -%}
                {%- do problems.append(
                    gateway ~ ": int_" ~ gateway ~ "__" ~ entity
                    ~ " exists but vars.gateway_contracts does not declare " ~ entity
                ) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for gateway in var('gateways') -%}
        {%- for entity in declared.get(gateway, []) if entity not in found.get(gateway, []) -%}
            {%- do problems.append(gateway ~ ": declares " ~ entity ~ " but has no model for it") -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}
select problem
from (
    select cast(null as {{ ledgerdesk.text_type() }}) as problem
    {%- for problem in problems %}
    union all
    select '{{ problem | replace("'", "''") }}' as problem
    {%- endfor %}
) as problems
where problem is not null
