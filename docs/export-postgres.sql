-- Table for `tlsrpt export --format csv` (docs/export.md). Load with:
--   \copy tlsrpt_rows FROM 'export.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE IF NOT EXISTS tlsrpt_rows (
  row_type                        text NOT NULL,      -- 'policy' or 'failure_detail'
  file                            text,
  location                        text,
  message_id                      text,
  dkim                            text,
  organization_name               text,
  contact_info                    text,
  report_id                       text,
  start_datetime                  timestamptz,        -- empty (NULL) for year 0000
  end_datetime                    timestamptz,
  policy_index                    integer NOT NULL,
  policy_type                     text,
  policy_domain                   text,
  sts_mode                        text,
  sts_mx                          text,
  sts_max_age                     bigint,
  counted                         boolean NOT NULL,
  total_successful_session_count  bigint NOT NULL,
  total_failure_session_count     bigint NOT NULL,
  detail_index                    integer,
  result_type                     text,
  failed_session_count            bigint,
  sending_mta_ip                  text,
  receiving_mx_hostname           text,
  receiving_mx_helo               text,
  receiving_ip                    text,
  failure_reason_code             text,
  additional_information          text,
  hint_id                         text
);
