-- The totals of `tlsrpt summary --format json` (.totals) from the exported rows: policy rows that
-- count (the tlsa/sts rule already applied by tlsrpt), summed.
SELECT coalesce(sum(total_successful_session_count), 0) AS successful,
       coalesce(sum(total_failure_session_count), 0)    AS failed
FROM tlsrpt_rows
WHERE row_type = 'policy' AND counted;
