-- sql/schema.sql: the PostgreSQL schema oak-export-postgres loads into.
-- Run at the start of every load, inside its transaction, so it only
-- creates what is missing and replaces the functions and the view.
--
--   invocations          one row per invocation, its updates folded in and
--                        its last SuccessMetric (oak-join-by-invocation's
--                        JoinedInvocation), typed columns plus jsonb
--   success_metrics      every SuccessMetric line, once
--   invocation_updates   every InvocationUpdate line, once
--   agent_performance    the seed's per-agent statistics, one row per
--                        agent, equal to performance_stats.json
-- See oak-export-postgres(1) and oak-telemetry(5).

CREATE TABLE IF NOT EXISTS invocations (
    invocation_id        text PRIMARY KEY,
    seq                  bigint NOT NULL,     -- order of first appearance
    started_at           timestamptz NOT NULL,
    ended_at             timestamptz,         -- started_at + duration
    session_id           text,
    workflow_id          text,                -- metadata.workflow_id
    parent_invocation_id text,
    agent_name           text NOT NULL,
    agent_type           text,
    task_description     text,
    task_type            text,                -- state_features.task.type
    status               text,                -- outcome.status
    error_message        text,                -- outcome.error_message
    duration_seconds     double precision,
    duration_micro       bigint,              -- exact millionths
    input_tokens         bigint,              -- metadata.usage.input_tokens
    output_tokens        bigint,              -- metadata.usage.output_tokens
    total_tokens         bigint,              -- metadata.total_tokens
    cost_usd             double precision,    -- metadata.cost_usd
    success              boolean,             -- of the last SuccessMetric
    quality_rating       integer,
    would_use_again      boolean,
    tools_used           jsonb,
    state_features       jsonb,
    outcome              jsonb,
    metadata             jsonb,
    success_metric       jsonb,
    record               jsonb NOT NULL,      -- the whole JoinedInvocation
    loaded_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS invocations_agent ON invocations (agent_name, seq);
CREATE INDEX IF NOT EXISTS invocations_started ON invocations (started_at);

CREATE TABLE IF NOT EXISTS success_metrics (
    digest                      text PRIMARY KEY,  -- md5 of the record
    invocation_id               text NOT NULL,
    recorded_at                 timestamptz NOT NULL,
    success                     boolean,
    quality_rating              integer,
    feedback_source             text,
    feedback_notes              text,
    would_use_again             boolean,
    alternative_agent_suggested text,
    record                      jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS success_metrics_invocation
    ON success_metrics (invocation_id);

CREATE TABLE IF NOT EXISTS invocation_updates (
    digest        text PRIMARY KEY,               -- md5 of the record
    invocation_id text NOT NULL,
    recorded_at   timestamptz NOT NULL,
    record        jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS invocation_updates_invocation
    ON invocation_updates (invocation_id);

-- Python's round(x, places) of a double, as the seed's analyzer rounds:
-- the exact binary value of x (mantissa * 2^exponent, written exactly in
-- decimal as mantissa * 5^k / 10^k) rounded to places decimals, half to
-- even, then the double nearest that decimal.
CREATE OR REPLACE FUNCTION oak_py_round(x double precision, places integer)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    bits bigint;
    expo integer;
    mant numeric;
    n numeric;
    unit numeric;
    q numeric;
    r numeric;
BEGIN
    IF x = 0 OR x = 'NaN' OR x = 'Infinity' OR x = '-Infinity' THEN
        RETURN x;
    END IF;
    bits := ('x' || encode(float8send(x), 'hex'))::bit(64)::bigint;
    expo := ((bits >> 52) & 2047)::integer;
    mant := (bits & 4503599627370495)::numeric;
    IF expo = 0 THEN
        expo := 1;
    ELSE
        mant := mant + 4503599627370496;
    END IF;
    expo := expo - 1075;                  -- |x| = mant * 2^expo
    IF -expo <= places THEN
        RETURN x;                         -- no digit past places
    END IF;
    n := trim_scale(mant * 5::numeric ^ (-expo));  -- |x| = n / 10^-expo
    unit := trim_scale(10::numeric ^ (-expo - places));
    q := div(n, unit);
    r := n - q * unit;
    IF 2 * r > unit OR (2 * r = unit AND mod(q, 2) = 1) THEN
        q := q + 1;
    END IF;
    RETURN ((CASE WHEN bits < 0 THEN '-' ELSE '' END) || q::text || 'e-'
            || places::text)::double precision;
END $$;

-- A JSON number in exact millionths, half to even past the sixth
-- decimal (json_micro of oak-telemetry's C code).
CREATE OR REPLACE FUNCTION oak_micro(x numeric)
RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT (CASE
        WHEN x * 1000000 - floor(x * 1000000) > 0.5 THEN floor(x * 1000000) + 1
        WHEN x * 1000000 - floor(x * 1000000) < 0.5 THEN floor(x * 1000000)
        ELSE floor(x * 1000000) + mod(floor(x * 1000000), 2)
    END)::bigint
$$;

-- A member of a jsonb object when it has the given JSON type, else null.
CREATE OR REPLACE FUNCTION oak_typed(j jsonb, type text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(j) = type THEN j END
$$;

-- The seed's per-agent statistics (its analyzer's calculate_agent_stats,
-- as oak-group-by-agent computes them): success_rate on successes and
-- failures, average_quality over the invocations with a SuccessMetric,
-- average_duration_seconds over durations not null and not 0 (summed in
-- exact millionths), rounded as Python rounds; common_task_types the 3
-- most frequent task types and common_failures the 5 most frequent error
-- messages of failures, ties by first appearance; recommended_for on the
-- unrounded values.
CREATE OR REPLACE VIEW agent_performance AS
WITH per_agent AS (
    SELECT agent_name,
           min(seq) AS first_seq,
           count(*) AS invocation_count,
           count(*) FILTER (WHERE status = 'success') AS successes,
           count(*) FILTER (WHERE status = 'failure') AS failures,
           count(*) FILTER (WHERE duration_micro <> 0) AS duration_count,
           coalesce(sum(duration_micro) FILTER (WHERE duration_micro <> 0), 0)
               AS duration_sum_micro,
           count(oak_typed(success_metric -> 'quality_rating', 'number'))
               AS quality_count,
           coalesce(sum(oak_micro(oak_typed(success_metric -> 'quality_rating',
                                            'number')::numeric)), 0)
               AS quality_sum_micro
    FROM invocations
    GROUP BY agent_name
), rates AS (
    SELECT *,
           CASE WHEN successes + failures > 0
                THEN successes::float8 / (successes + failures)::float8
                ELSE 0 END AS sr,
           CASE WHEN quality_count > 0
                THEN quality_sum_micro::float8 / 1e6::float8 / quality_count::float8
                ELSE 0 END AS q,
           CASE WHEN duration_count > 0
                THEN duration_sum_micro::float8 / 1e6::float8 / duration_count::float8
                ELSE 0 END AS d
    FROM per_agent
), tasks AS (
    SELECT agent_name, task_type, count(*) AS n,
           row_number() OVER (PARTITION BY agent_name
                              ORDER BY count(*) DESC, min(seq)) AS place
    FROM invocations
    WHERE task_type <> ''
    GROUP BY agent_name, task_type
), failures AS (
    SELECT agent_name, error_message,
           row_number() OVER (PARTITION BY agent_name
                              ORDER BY count(*) DESC, min(seq)) AS place
    FROM invocations
    WHERE status = 'failure' AND error_message <> ''
    GROUP BY agent_name, error_message
)
SELECT r.agent_name,
       r.invocation_count,
       oak_py_round(r.sr, 3) AS success_rate,
       oak_py_round(r.q, 2) AS average_quality,
       oak_py_round(r.d, 2) AS average_duration_seconds,
       ARRAY(SELECT t.task_type FROM tasks t
             WHERE t.agent_name = r.agent_name AND t.place <= 3
             ORDER BY t.place) AS common_task_types,
       ARRAY(SELECT f.error_message FROM failures f
             WHERE f.agent_name = r.agent_name AND f.place <= 5
             ORDER BY f.place) AS common_failures,
       array_remove(ARRAY[
           CASE WHEN r.sr > 0.8 AND r.q > 3.5
                THEN 'High success rate - reliable choice' END,
           (SELECT 'Best for ' || t.task_type || ' tasks' FROM tasks t
            WHERE t.agent_name = r.agent_name AND t.place = 1 AND t.n >= 3),
           CASE WHEN r.sr < 0.5 AND r.invocation_count >= 5
                THEN 'Consider alternative agents - low success rate' END
       ], NULL) AS recommended_for
FROM rates r
ORDER BY r.first_seq;
