{#- The columns together identify a row (dbt_utils is unreachable offline, so the project
    carries this one test itself). NULLs compare equal here, as a grain should. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as rows_with_this_key
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
