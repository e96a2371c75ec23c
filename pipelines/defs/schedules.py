"""Jobs, the hourly schedule, the weekly full refresh, and the sensors that chain them.

Extraction and transformation are two jobs so that one entity the account may not read
(its asset fails) cannot stop dbt from building the rest: the transform job starts when the
extract job ends, whether it succeeded or not. Once a week the transform rebuilds every
incremental model from raw (`full_refresh`), so that what the incremental rules cannot see
(a raw row pruned that fed only another object's row: DECISIONLOG.md, 2026-12-03, room
incr) lasts a week at most.
"""

import dagster as dg

from pipelines.defs.extract import EXTRACT_GROUP

extract_job = dg.define_asset_job(
    "extract",
    selection=dg.AssetSelection.groups(EXTRACT_GROUP),
    description="Incremental extraction of every configured gateway account.",
)
transform_job = dg.define_asset_job(
    "transform",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(EXTRACT_GROUP),
    description="dbt build (models and tests) and publishing the marts for the dashboards.",
)

hourly_extract = dg.ScheduleDefinition(
    name="hourly_extract",
    job=extract_job,
    cron_schedule="0 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

FULL_REFRESH = {"ops": {"ledgerdesk_dbt_models": {"config": {"full_refresh": True}}}}

weekly_full_refresh = dg.ScheduleDefinition(
    name="weekly_full_refresh",
    job=transform_job,
    cron_schedule="30 3 * * 0",  # Sunday 03:30, between two hourly extractions
    run_config=FULL_REFRESH,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def _transform_after(status: dg.DagsterRunStatus, name: str) -> dg.RunStatusSensorDefinition:
    @dg.run_status_sensor(
        name=name,
        run_status=status,
        monitored_jobs=[extract_job],
        request_job=transform_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def _sensor(context):
        return dg.RunRequest(run_key=f"after-{context.dagster_run.run_id}")

    return _sensor


def definitions() -> dg.Definitions:
    return dg.Definitions(
        jobs=[extract_job, transform_job],
        schedules=[hourly_extract, weekly_full_refresh],
        sensors=[
            _transform_after(dg.DagsterRunStatus.SUCCESS, "transform_after_extract"),
            _transform_after(dg.DagsterRunStatus.FAILURE, "transform_after_failed_extract"),
        ],
    )
