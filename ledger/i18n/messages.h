// The message catalogue: what a clerk (and, as the catalogue grows, an operator or a
// regulator) reads, in Chinese and in English, in one place (issue 16, item 1).
//
// Each message has an id (Msg), the number of arguments it takes, and a Chinese and an
// English text in fmt syntax with positional arguments ("{0}", "{1}", …), so that each
// language orders the arguments as it needs; a text may leave an argument out (the
// Chinese column reference drops the English field path). Messages are for people:
// machine-readable output (JSON keys, outcome codes, EPCIS, the schemas) stays English and
// never goes through here.
//
// Which language: choose_lang() — `--lang zh|en` when given; else Chinese when the locale
// is zh_*; else Chinese when the input itself is Chinese (a CSV file whose headers hold
// Chinese); else English. Pure functions, no shared state; thread-safe.
//
// Adding a message: add its id to Msg and one row to kMessages (messages.cpp) with both
// texts; i18n_test checks that every id has a row, both texts, Chinese in the Chinese
// one, and only arguments below its count.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

namespace agtrace::i18n {

enum class Lang { zh, en };

enum class Msg {
  // Places and columns.
  where_line,            // {0} file, {1} line
  column_ref,            // {0} Excel letter, {1} header
  column_field,          // {0} column_ref, {1} field path
  column_absent,         // {0} header
  // Summaries of an import or record.
  refused_nothing_recorded,  // {0} refused, {1} total, {2} "event"/"events"
  fix_and_retry,
  refused_row,               // {0} where, {1} why
  refused_some_recorded,     // {0} refused, {1} total, {2} "event"/"events", {3} recorded
  refused_all,               // {0} refused, {1} total, {2} "event"/"events"
  recorded_row,              // {0} where, {1} event id, {2} entry index
  already_recorded_row,      // {0} where, {1} event id, {2} entry index
  note_full_width,           // {0} the cells (or lines) that held full-width digits
  error_prefix,
  // The header row.
  header_problems,       // {0} file, {1} line, {2} count
  header_unknown,        // {0} column_ref
  header_did_you_mean,   // {0} column_ref, {1} suggestion
  header_not_needed,     // {0} column_ref
  header_empty,          // {0} column_ref
  header_repeated,       // {0} column_ref, {1} earlier column_ref
  header_two_for_one,    // {0} column_ref, {1} other column_ref, {2} field
  title_row,             // {0} file, {1} line, {2} the title text
  no_type_column,        // {0} file
  no_data_rows,          // {0} file
  type_option_unknown,   // {0} --type value, {1} accepted values
  // Cells.
  cell_not_accepted,     // {0} cell, {1} accepted values
  cell_thousands,        // {0} cell, {1} plain number
  cell_not_number,       // {0} cell
  cell_number_and_unit,  // {0} number, {1} unit
  cell_not_whole,        // {0} cell
  cell_not_boolean,      // {0} cell
  cell_too_long,         // {0} bytes, {1} limit
  cell_no_field,         // {0} event type, {1} cell
  cell_helper_empty,     // {0} helper column_ref
  cell_type_empty,
  cell_bad_item,         // {0} item, {1} the form expected
  gtin_leading_zero,     // {0} cell
  gtin_scientific,       // {0} cell
  excel_date_number,     // {0} cell
  time_no_offset,        // {0} cell, {1} the same time with +08:00 (RFC 3339)
  date_no_tz,            // {0} cell, {1} the time it would be, e.g. 2026-09-25T00:00:00+08:00
  date_needs_time,       // {0} cell, {1} event type, {2} the cell's date with a time (2026-04-10 08:00)
  date_invalid,          // {0} cell
  unit_jin,              // {0} cell
  unit_box_in_pack_size, // {0} cell
  unit_unknown,          // {0} cell, {1} accepted units
  // Rows and the ledger's rules.
  row_repeats,           // {0} earlier line
  event_id_reused,       // {0} event id, {1} earlier line
  unknown_lot,           // {0} lot
  unknown_lot_did_you_mean,  // {0} lot, {1} suggestions
  // Corrections (issue 16 item 3; ledger/correction_check.h).
  event_changed_use_correction,   // {0} event id, {1} where it was recorded
  correction_before_v5,           // {0} rules version in force, {1} the version corrections need
  correction_unknown_event,       // {0} event id
  correction_not_correctable,     // {0} event id, {1} its type
  correction_type_changed,        // {0} the replacement's type, {1} the recorded type
  correction_id_changed,          // {0} the replacement's event id, {1} the corrected event id
  correction_lots_changed,        // {0} the recorded lots, {1} the replacement's
  correction_product_changed,     // {0} lot, {1} recorded product, {2} the replacement's
  correction_link_changed,        // {0} recorded transformation id, {1} the replacement's
  correction_downstream_balance,  // {0} lot, {1} amount left, {2} unit, {3} event id, {4} entry, {5} taken
  correction_downstream_time,     // {0} lot, {1} new creation time, {2} event id, {3} entry, {4} its time
  correction_downstream_labels,   // {0} lot, {1} packed count, {2} live labels, {3} event id, {4} entry

  // The append rules (ledger/event/rules.cpp, certificate_rules.cpp) and the schema refusals
  // (schema_validator.cpp), thrown through i18n::refuse (refusal.h) after "field PATH: ".
  // Words in {…} marked (words) are given in the message's language (i18n::Words).
  rule_units_incomparable,   // {0} unit (words), {1} unit (words)
  rule_future_time,          // {0} event_time, {1} now at the event's offset
  rule_unknown_master,       // {0} kind (words), {1} id
  rule_no_such_event,        // {0} event id
  rule_lot_created_twice,    // {0} lot
  rule_lot_exists,           // {0} lot, {1} creating event type (words), {2} entry (words)
  rule_lot_in_and_out,       // {0} lot
  rule_before_lot,           // {0} event_time, {1} lot, {2} type (words), {3} its event_time, {4} entry (words)
  rule_harvest_in_interval,  // {0} date, {1} application event, {2} lot, {3} applied, {4} days, {5} safe date
  rule_spray_after_harvest,  // {0} lot, {1} harvest date, {2} harvest event, {3} days, {4} application date
  rule_gtin_check_digit,     // {0} GTIN, {1} right digit, {2} digit given
  rule_gtin_zeros,           // {0} GTIN, {1} leading zeros
  rule_gtin_taken,           // {0} GTIN, {1} product
  rule_item_over_limit,      // {0} item name, {1} measured, {2} limit
  rule_failed_item_passes,
  rule_harvest_product,      // {0} product, {1} planting lot, {2} planted product
  rule_transformation_id_version,  // {0} version in force, {1} version needed
  rule_not_conserved,        // {0} out, {1} in, {2} loss, {3} unit (words)
  rule_lot_short,            // {0} lot, {1} left, {2} made, {3} wanted, {4} unit (words)
  rule_event_id_taken,       // {0} event id, {1} entry (words)
  rule_event_id_recorded,    // {0} event id, {1} entry
  cert_units_incomparable,   // {0} unit (words), {1} the lot's unit (words)
  cert_lot_no_quantity,      // {0} lot, {1} creating event type (words)
  cert_quantity_moved,       // {0} lot, {1} made, {2} unit (words), {3} moved, {4} left, {5} what covers it (words), {6} wanted
  cert_quantity_over,        // {0} lot, {1} made, {2} unit (words), {3} what covers it (words), {4} wanted
  cert_lot_recalled,         // {0} lot, {1} " is made from lot X, which" (words), {2} recall event
  cert_lot_failed,           // {0} lot, {1} made-from clause (words), {2} inspection event, {3} report number
  cert_interval_running,     // {0} lot, {1} applied, {2} application event, {3} days, {4} safe date, {5} certificate date
  cert_basis_twice,          // {0} basis (words)
  cert_basis_interval,       // {0} basis (words), {1} application event, {2} lot, {3} applied, {4} days, {5} safe date, {6} certificate date
  cert_no_evidence,          // {0} basis (words)
  cert_evidence_unknown,     // {0} event id
  cert_evidence_not_inspection,  // {0} event id, {1} its type (words), {2} basis (words)
  cert_evidence_other_lots,  // {0} inspection, {1} its lots, {2} lot
  cert_evidence_failed,      // {0} inspection
  cert_evidence_later,       // {0} inspection, {1} its time, {2} the certificate's time
  cert_self_tested_other,    // {0} inspection, {1} its party, {2} issuer
  cert_commissioned_self,    // {0} inspection, {1} issuer
  cert_commissioned_not_lab, // {0} inspection, {1} its party, {2} its role (words)
  cert_producer_parents,
  cert_buyer_no_parents,     // {0} lot
  cert_parent_unknown,       // {0} number, {1} issuer
  cert_parent_voided,        // {0} number, {1} entry (words, rules.h entry_words)
  cert_parent_other_lot,     // {0} number, {1} its lot, {2} lot
  cert_parent_missing,       // {0} input lot, {1} lot
  cert_shipment_unknown,     // {0} shipping event id
  cert_shipment_other_lot,   // {0} shipping event id, {1} lot
  cert_number_reused,        // {0} number, {1} entry (words), {2} " and voided since" (words)
  cert_product_differs,      // {0} product, {1} lot, {2} lot's product
  cert_void_unknown,         // {0} number
  cert_void_twice,           // {0} number, {1} entry (words)
  cert_received_twice,       // {0} number, {1} issuer, {2} entry (words)
  cert_required_needs_version,  // {0} version in force, {1} version needed
  label_field_needs_version, // {0} version in force, {1} field, {2} version needed
  cert_type_needs_version,   // {0} event type (words), {1} version needed, {2} version in force
  label_lot_recalled,        // {0} lot, {1} made-from clause (words), {2} recall event, {3} verb (words)
  label_lot_failed,          // {0} lot, {1} made-from clause (words), {2} inspection event, {3} report, {4} verb (words)
  label_no_certificate,      // {0} lot, {1} product, {2} verb (words)
  schema_missing,            // {0} event type (words), {1} " when …" (words)
  schema_not_allowed,        // {0} event type (words)
  schema_value,              // {0} value (words), {1} what is wrong and what to write (words)
  schema_invalid,            // {0} the validator's description, {1} the field's description (words)
  // `agtrace-ledger columns`: the clerk's reference of the CSV layout.
  columns_types,             // {0} the event types (words)
  columns_heading,           // {0} event type (words)
  columns_type_unknown,      // {0} the type given, {1} the event types (words)
  format_items_values,       // {0} accepted results
  format_bases,              // {0} accepted bases
  format_parents,
  format_pack_unit,          // {0} accepted units (words)
  format_unit,               // {0} accepted units (words)
  format_values,             // {0} accepted values
  format_text,
  format_decimal,
  format_gtin,
  format_integer,
  format_boolean,
  format_time,
  format_date,
  format_list,
  format_shipped_lots,
  format_lot_quantities,     // {0} the unit's column
  format_readings,
  format_items,
  format_helper,             // {0} the helper's header (words), {1} the columns it serves (words)
  format_helper_values,      // {0} format_helper, {1} accepted values (words)
  // Rules version 5 (certificate_lineage.cpp).
  cert_certified_twice,      // {0} lot, {1} holds, {2} unit (words), {3} certified, {4} certificates, {5} uncertified, {6} wanted
  cert_origin_elsewhere,     // {0} origin, {1} lot, {2} the lot it comes from, {3} where that grew, {4} its name, {5} the fix (words: cert_origin_fix_*)
  // `agtrace-ledger show N | lot LOT` (issue 16): labels, times in the event's own offset, units in words.
  time_at_offset,            // {0} YYYY-MM-DD HH:MM[:SS], {1} the offset as written, e.g. +08:00 (Beijing time)
  time_at_utc_offset,        // {0} YYYY-MM-DD HH:MM[:SS], {1} the offset as written (any other offset)
  time_utc,                  // {0} YYYY-MM-DD HH:MM[:SS] (Z, +00:00 or -00:00)
  show_in_checkpoint,        // {0} checkpoint size
  show_awaiting_checkpoint,
  show_entry_heading,        // {0} index, {1} event type (words), {2} checkpoint status
  show_entry_signed,         // {0} key id
  show_entry_time,           // {0} time (time_at_offset …)
  show_entry_corrected,      // {0} the correcting entries
  show_entry_quantity,       // {0} amount, {1} unit (words)
  show_entry_event,
  show_lot_heading,          // {0} lot, {1} GS1 lot code
  show_lot_product,          // {0} product id and name
  show_lot_created,          // {0} creating event type (words), {1} entry
  show_lot_quantity,         // {0} made, {1} unit (words), {2} taken
  show_lot_recalled,         // {0} recall event id, {1} time, {2} reason
  show_lot_events,
  show_lot_event_corrected,  // {0} correcting entry, {1} its event id, {2} its time, {3} reason, {4} the corrected entry
  show_lot_unknown,          // {0} lot, {1} "did you mean" with the nearest lot ids, or empty
  show_entry_bad_index,      // {0} what was given
  // Keys and signers (issue 16): key add | revoke, signing with an unknown, revoked or wrong key,
  // station keys acting for another enterprise, key files.
  key_not_registered,        // {0} key id
  key_revoked_sign,          // {0} key id, {1} entry
  key_log_entries_only,      // {0} event type (words), {1} key id
  key_log_signs_keys_only,   // {0} event type (words), {1} the keys that may (words)
  key_station_signs_labels,  // {0} key id, {1} role (words), {2} event type (words)
  key_station_no_holder,     // {0} key id
  key_station_other_holder,  // {0} key id, {1} holder, {2} whose the lot or certificate is (words), {3} its owner (words)
  key_already_registered,    // {0} key id, {1} entry
  key_name_differs,          // {0} name, {1} the name in vkey
  key_unknown,               // {0} key id
  key_log_not_revocable,
  key_already_revoked,       // {0} key id, {1} entry
  key_not_log_key,           // {0} key id, {1} the log key in force
  key_rotated_log_key,       // {0} key id, {1} entry, {2} the log key in force
  key_add_needs_holder,
  key_add_revoked,           // {0} .pub file, {1} key id, {2} entry
  key_add_role_kept,         // {0} .pub file, {1} key id, {2} role (words), {3} entry, {4} the role asked for (words)
  key_add_unchanged,         // {0} key id, {1} role (words), {2} entry
  key_added,                 // {0} key id, {1} role (words), {2} entry
  key_revoked_done,          // {0} key id, {1} entry
  key_file_missing,          // {0} path, {1} the system's reason
  key_file_mode,             // {0} path, {1} mode (octal, 4 digits)
  key_file_encrypted,        // {0} path
  key_file_not_pem,          // {0} path, {1} the PEM line it must begin with
  key_file_damaged,          // {0} path
  key_file_not_ed25519,      // {0} path, {1} its key type
  key_pub_missing,           // {0} .pub path, {1} key path
  key_pub_mismatch,          // {0} .pub path, {1} key path, {2} the key id the .pub holds
  key_list_row,              // {0} key id, {1} role (words), {2} the entry that added it
  key_list_holder,           // {0} holder party
  key_list_revoked,          // {0} the entry that revoked it
  // `agtrace-ledger correct EVENT-ID`: the argument, named in refusals as an import names a column.
  correct_event_id_argument, // {0} the EVENT-ID given
  // --help of the clerk's verbs (import, correct, columns, show) and the global --lang.
  help_lang,
  help_key_file,
  help_log_key_checkpoint,
  help_json,
  help_encoding,
  help_import,
  help_import_format,
  help_import_tz,
  help_import_type,
  help_import_continue,
  help_import_json,
  help_import_file,
  help_correct,
  help_correct_event_id,
  help_correct_file,
  help_correct_reason,
  help_correct_key,
  help_correct_party,
  help_correct_own_id,
  help_correct_json,
  help_columns,
  help_columns_type,
  help_columns_csv,
  help_show,
  help_show_what,

  // Rules version 6 (received_lot.cpp, certificate_lineage.cpp): paper certificates.
  received_origin_needs_version,  // {0} version in force, {1} version needed
  received_origin_missing,   // {0} lot, {1} number
  received_issued_after,     // {0} issued_on, {1} the day it was received, {2} event_time
  received_placeholder_form, // {0} number
  received_placeholder_date, // {0} number, {1} the date in it, {2} issued_on (words: "not given" when absent)
  received_number_missing,
  cert_origin_paper,         // {0} origin, {1} lot, {2} the lot it comes from, {3} paper number, {4} its issuer, {5} its origin, {6} the fix (words: cert_origin_fix_*)
  cert_buyer_quality_control,  // {0} lot, {1} made-from clause (words), {2} entry that brought it in (words)
  cert_test_misses_external, // {0} basis (words), {1} lot, {2} the external lot its mix holds that no evidence tested

  // Decoding an imported file (ledger/csv/text_decoding.cpp).
  encoding_gb18030_not_utf8, // {0} file, {1} line, {2} 0-based byte offset, {3} what is wrong (technical, English); the Chinese names the line only
  encoding_utf16_not_utf8,   // {0} file, {1} line, {2} 0-based byte offset, {3} what is wrong (technical, English); the Chinese names the line only
  encoding_invalid_utf8,     // {0} file, {1} line, {2} 0-based byte offset, {3} what is wrong (technical, English); the Chinese names the line only
  encoding_utf8_not_gb18030, // {0} file, {1} line, {2} the text read as UTF-8, {3} the same bytes read as GB18030 (words)
  encoding_bom_not_gb18030,  // {0} file
  cell_number_only,          // {0} the column's header, {1} the number (a unit typed where the header fixes it)
  header_missing_required,   // {0} the missing column's header, {1} the event type (words), {2} its field
  log_corrected_by,          // {0} the correcting entries

  // Session 9 (issue 14's certificate trial; rules version 7 where marked).
  cert_origin_fix_one,       // {0} the one origin, {1} "or a location above it" (words)
  cert_origin_fix_common,    // {0} the lot's origins (words, 、-separated), {1} the nearest location above all, {2} its name
  cert_origin_fix_none,      // {0} the lot's origins (words, 、-separated)
  cert_producer_over_paper,  // v7: {0} lot, {1} the paper certificates (words), {2} the parents to list (ISSUER*NUMBER;…)
  cert_number_case,          // v7: {0} number, {1} the existing number, {2} what that is (words), {3} its entry (words)
  received_number_unmatchable,  // v7: {0} number, {1} what is wrong (words), {2} the number as it should be typed
  correction_of_certificate, // {0} event id, {1} its type (words), {2} the certificate number
  correction_of_received,    // {0} event id, {1} the certificate number
  received_issued_here,      // v7: {0} number, {1} the issued certificate's number, {2} its issuer, {3} its entry (words)
  received_issuer_issues_here,  // v7: {0} issuer, {1} number, {2} the issuer's first certificate here, {3} its entry (words)
  received_lot_no_product,   // {0} lot, {1} certificate number
  received_lot_taken,        // {0} lot, {1} the entry that brought it in (words)
  checkpoint_signed_after,   // {0} tree size
  checkpoint_awaiting_after,
  cert_number_received_first,   // v7: {0} number, {1} issuer, {2} the received number, {3} the receipt entry (words), {4} the buyer

  // Rules version 7 (rules.cpp check_plot_input, plot_inputs.cpp): inputs applied to a plot before sowing.
  plot_input_needs_version,  // {0} version in force, {1} version needed
  plot_input_not_plot,       // {0} location id, {1} its kind (words)
  show_lot_plot_input,       // {0} the plot
  correction_plot_changed,   // {0} the plot recorded, {1} the replacement's location
  // Issue 16 (zh16d): the rest of agtrace-ledger's --help and success lines, show N as labelled
  // lines, dates that do not exist, lost characters, 斤 with the cell's own number, and the
  // verifier's start-up (Chinese / English, as an operator reads it).
  help_program,
  help_version,
  help_ledger,
  help_init,
  help_init_origin,
  help_init_base_url,
  help_init_log_key_out,
  help_key,
  help_key_gen,
  help_key_gen_name,
  help_key_gen_out,
  help_log_key_file,
  help_key_add,
  help_key_add_pub,
  help_key_add_role,
  help_key_add_holder,
  help_key_list,
  help_key_revoke,
  help_key_revoke_key_id,
  help_key_revoke_reason,
  help_key_rotate_log,
  help_key_rotate_current,
  help_key_rotate_new,
  help_key_rotate_reason,
  help_log,
  help_log_from,
  help_log_to,
  help_log_tz,
  help_log_lot,
  help_export,
  help_export_format,
  help_export_certificates,
  help_export_lot,
  help_export_product,
  help_export_party,
  help_export_from,
  help_export_to,
  help_export_tz,
  help_export_entries,
  help_export_out,
  help_export_json,
  init_exists,               // {0} ledger path
  init_created,              // {0} ledger path, {1} origin, {2} log key file
  key_gen_written,           // {0} key file, {1} key id
  key_log_rotated,           // {0} old key id, {1} new key id, {2} entry, {3} the new key file
  export_written,            // {0} events selected, {1} entries in the bundle (Chinese: numbers; English: "14 events"), {2} folder, {3} checkpoint size
  export_awaiting,           // {0} how many matching entries await a checkpoint
  export_late,               // {0} how many events were recorded late (as export_written's), {1} the first one's entry
  export_no_format,
  export_certificates_only,
  export_certificates_written,  // {0} the register's path
  show_entry_fields,
  show_entry_field,          // {0} the field's label, {1} its value
  show_entry_json_hint,      // {0} the entry index
  show_entry_missing,        // {0} the index asked for, {1} the log's size
  date_not_exist,            // {0} cell, {1} year, {2} month, {3} days in that month
  encoding_lost_characters,  // {0} file, {1} line, {2} the text around the replacement character
  unit_jin_amount,           // {0} the number as written, {1} its unit (斤 or 市斤), {2} the same in 千克
  correction_recorded_before,  // {0} corrected event id, {1} the correction's entry, {2} its event id
  verifier_listening,        // {0} URL
  verifier_stopped,
  verifier_no_ledger,
  verifier_pubkey_unreadable,  // {0} path
  verifier_pubkey_bad,       // {0} path, {1} what is wrong
  verifier_cannot_bind,      // {0} HOST:PORT
  audit_first_failed,        // {0} command, {1} the audit's finding
  // Corrections imported or run again (docs/clerk-import.md "更正"):
  correction_superseded_again,  // {0} corrected event id, {1} the earlier correction's entry, {2} the entry in
                                // force, {3} what it says now, {4} what this correction says
  correction_reason_differs,    // {0} corrected event id, {1} the entry in force, {2} its event id, {3} its reason,
                                // {4} the reason given now
  event_row_not_current,        // {0} event id, {1} the original's entry, {2} what it says, {3} the entry in force,
                                // {4} what it says, {5} what the row says
  show_lot_correction_in_force,
  show_lot_correction_superseded,  // {0} the correcting entry that superseded this one
  // Issue 16 (zh16e): CLI11's parse errors (cli/program.cpp) and the option values a clerk types.
  cli_required,              // {0} the option (--origin)
  cli_subcommand_required,
  cli_not_in_set,            // {0} the option, {1} the value typed, {2} the values allowed (words)
  cli_unknown_option,        // {0} the option typed
  cli_extra_argument,        // {0} the arguments not expected
  cli_needs_value,           // {0} the option
  cli_other,                 // {0} CLI11's own message (English)
  cli_format_values,         // {0} the value typed
  cli_role_values,           // {0} the value typed
  cli_tz_values,             // {0} the value typed
  import_format_unknown,     // {0} the file
  file_missing,              // {0} the path given
  key_gen_exists,            // {0} the key file (or its .pub)
  key_gen_bad_name,          // {0} the name given, {1} what is wrong (words), {2} a name that works
  key_name_space,
  key_name_plus,
  key_name_empty,
  export_out_not_empty,      // {0} --out
  verify_ok,                 // {0} entries, {1} checkpoints, {2} entries the latest covers (Chinese: numbers; English: counted), {3} awaiting
  verify_ok_saved,           // {0} the saved checkpoint's size
  verify_failed,             // {0} what failed (the audit's own words)
  verify_next,
  help_upgrade,
  help_record,
  help_verify,
  help_checkpoint,
  help_proof,
  help_proof_inclusion,
  help_proof_consistency,
  help_trace,
  help_recall,
  help_audit,
  help_audit_verify_bundle,
  help_audit_consistency,
  help_backup,
  time_invalid,              // {0} cell, {1} its date (2026-04-10)
  unknown_lot_full_width,    // {0} lot as typed, {1} the same in half-width (a lot that exists)
  // Integrator, session 10: export checks a saved checkpoint.
  help_export_checkpoint,
  // Branch cert14f (rules version 8: a spray recorded late, interval_breach.h).
  cert_basis_breach,         // {0} basis (words), {1} harvest lot, {2} harvest date, {3} harvest event, {4} application event, {5} application entry (words), {6} applied, {7} days, {8} safe date
  label_certificate_breach,  // {0} lot, {1} certificate number, {2} harvest lot, {3} harvest date, {4} application event, {5} application entry (words), {6} verb (words)
  show_lot_breach,           // {0} harvest lot, {1} harvest date, {2} application event, {3} application entry, {4} applied, {5} days, {6} safe date
  // Issue 16 (zh16f): a Chinese-only clerk's trial — row counts, control characters, lot ids with
  // odd spaces, harvests beyond any crop's yield, verify's finding.
  rows_field_count,          // {0} file, {1} rows
  row_field_count,           // {0} where, {1} cells in the row, {2} cells in the header
  row_field_count_split,     // {0} where, {1} cells in the row, {2} cells in the header
  cell_control_chars,        // {0} the cell with its control characters escaped (\u001b)
  lot_id_odd_spaces,         // {0} what is wrong (words), {1} the lot id as it should be written
  lot_id_ideographic_space,
  lot_id_nbsp,
  lot_id_double_space,
  harvest_yield_implausible,  // {0} quantity with its unit in words, {1} planting lot, {2} its area (mu), {3} kg per
                              // mu, {4} the bound (kg per mu)
  help_import_allow_high_yield,
  verify_failed_explained,   // {0} the audit's own finding (English), {1} what it means
  verify_why_signature,
  verify_why_chain,
  verify_why_derived,
  verify_why_checkpoint,
  verify_why_saved_checkpoint,
  verify_why_damaged,
  verify_why_other,
  trace_start_unknown,       // {0} LOT|SERIAL as typed, {1} "did you mean" words (or nothing)
  // trust14g (issue 14's trust trial, rules version 8):
  key_clerk_other_holder,    // {0} key id, {1} its holder, {2} what the event does for another party (words)
  correction_of_inspection_result,  // {0} event id, {1} result recorded, {2} result in the replacement
  received_number_lookalike,  // {0} number, {1} what is wrong (words), {2} the number fixed (words)
  cert_quantity_zero,        // {0} certificate number
  received_from_itself,      // {0} certificate number, {1} the buyer (= the issuer)
  cert_void_unknown_case,    // {0} number as typed, {1} the issued number, {2} its issuer
  label_certificate_zero,    // {0} lot, {1} its certificates of 0, {2} verb (words)
  key_add_holder_differs,    // {0} pub file, {1} key id, {2} entry, {3} holder recorded (words), {4} holder asked
  key_add_holder_unknown,    // {0} holder party
  recall_needs_party,        // none
  // Issue 16 (zh16g): unreadable times, trace and recall, the remaining --help option texts, the
  // bundle verdicts, checkpoint rollback, file-level import errors.
  time_unreadable,  // {0} cell, {1} time_date_only_allowed or time_date_only_elsewhere
  time_date_only_allowed,  // {0} event type (words)
  time_date_only_elsewhere,
  trace_direction_needed,
  trace_depth_negative,  // {0} --depth given
  trace_heading_forward,  // {0} trace_start_*, {1} trace_depth or trace_whole
  trace_heading_backward,  // {0} trace_start_*, {1} trace_depth or trace_whole
  trace_start_lot,  // {0} lot
  trace_start_code,  // {0} trace code, {1} its lot
  trace_depth,  // {0} steps
  trace_whole,
  trace_via,  // {0} entry
  trace_lot_again,  // {0} lot, {1} trace_via
  trace_lot,  // {0} lot, {1} GS1 lot code, {2} product, {3} creating event type (words), {4} entry, {5} trace_external or empty
  trace_external,
  trace_plot,  // {0} location
  trace_phi,  // {0} days
  trace_plot_input,  // {0} location
  trace_shipped_to,  // {0} party
  trace_shipment_no,  // {0} shipment number
  trace_inspection,  // {0} result (words), {1} report number
  trace_plots,  // {0} count
  trace_plot_row,  // {0} location, {1} planting lot, {2} party, {3} entry
  trace_pesticides,  // {0} count
  trace_pesticide_row,  // {0} time (words), {1} pesticide, {2} lot, {3} location, {4} entry
  trace_shipments,  // {0} count
  trace_shipment_row,  // {0} time (words), {1} event id, {2} to party, {3} entry
  trace_codes,  // {0} count, {1} trace_codes_voided or empty
  trace_codes_voided,  // {0} count
  trace_code_row,  // {0} serial, {1} lot, {2} trace_code_voided or empty
  trace_code_voided,
  recall_heading,  // {0} recall event id, {1} recall_entry or recall_not_recorded
  recall_entry,  // {0} entry
  recall_not_recorded,
  recall_fields,  // {0} time (words), {1} party, {2} reason, {3} recalled lots, {4} recall_descendants or empty
  recall_descendants,
  recall_lots,  // {0} count
  recall_lot_row,  // {0} lot, {1} GS1 lot code, {2} product, {3} creating event type (words), {4} made, {5} shipped
  recall_codes,  // {0} count, {1} recall_codes_voided or empty, {2} recall_codes_listed or empty
  recall_codes_voided,  // {0} count
  recall_codes_listed,  // {0} file
  recall_shipment_row,  // {0} time (words), {1} event id, {2} (shipment number) or empty, {3} to party, {4} lots
  recall_recipients,  // {0} count
  recall_recipient_row,  // {0} party, {1} name, {2} contact, {3} phone, {4} address
  recall_report_files,  // {0} folder
  recall_already,  // {0} lot, {1} recall event id, {2} its time (words), {3} its reason
  recall_csv_made,  // {0} made, {1} shipped
  recall_csv_genuine,
  recall_csv_voided,
  recall_awaiting,
  help_upgrade_log_key,
  help_upgrade_reason,
  help_record_continue,
  help_record_json,
  help_record_file,
  help_verify_checkpoint,
  help_checkpoint_log_key,
  help_proof_index,
  help_proof_size,
  help_proof_old,
  help_proof_new,
  help_trace_target,
  help_trace_forward,
  help_trace_backward,
  help_trace_depth,
  help_recall_lot,
  help_recall_reason,
  help_recall_descendants,
  help_recall_party,
  help_recall_out,
  help_recall_json,
  help_recall_csv,
  help_bundle_dir,
  help_bundle_pubkey,
  help_consistency_old,
  help_consistency_new,
  help_consistency_proof,
  help_consistency_pubkey,
  help_backup_out,
  bundle_ok,  // {0} files, {1} entries, {2} events (Chinese: numbers; English: counted), {3} checkpoint size, {4} origin; {5} bundle format
  bundle_failed,  // {0} what failed (the check's own words)
  failed_prefix,
  bundle_file_unreadable,  // {0} file
  bundle_file_changed,  // {0} file
  bundle_file_missing,  // {0} file
  bundle_file_unlisted,  // {0} file
  bundle_derived_edited,  // {0} file, {1} bundle format
  bundle_manifest_edited,
  bundle_signature_bad,  // {0} where (entries.jsonl line N (entry M)), {1} key id
  checkpoint_rolled_back,  // {0} the audit's finding, {1} the signer's memory file
  gb18030_invalid,  // {0} file, {1} line, {2} byte offset, {3} the byte
  gb18030_truncated,  // {0} file, {1} line, {2} byte offset
  csv_quote_unquoted,  // {0} file, {1} line, {2} field number
  // The labeler's --help (labeler/cli/main.cpp).
  help_labeler_program,
  help_labeler_print,
  help_labeler_print_key,
  help_labeler_dry_run,
  help_labeler_journal,
  help_labeler_lot,
  help_labeler_count,
  help_labeler_party_default,
  help_labeler_location_default,
  help_labeler_template,
  help_labeler_format,
  help_labeler_out,
  help_labeler_printer,
  help_labeler_timeout,
  help_labeler_confirm_every,
  help_labeler_dpi,
  help_labeler_ec,
  help_labeler_quiet,
  help_labeler_reprint,
  help_labeler_station_key,
  help_labeler_serials,
  help_labeler_party,
  help_labeler_location,
  help_labeler_void,
  help_labeler_void_reason,
  help_labeler_void_party,
  help_labeler_jobs,
  help_labeler_unfinished,
  help_labeler_json,
  help_labeler_preview,
  help_labeler_facts,
  help_labeler_sample_count,
  help_labeler_certificate,
  help_labeler_cert_number,
  help_labeler_cert_facts,
  help_labeler_cert_template,
  help_labeler_cert_format,
  help_labeler_cert_out,
  help_labeler_footer,
  // corr16 (issue 16 trial: corrections of corrections, units a lot never had).
  show_entry_correction_in_force,    // {0} the correction entry in force
  show_entry_correction_superseded,  // {0} the later correction entry that replaced this one
  rule_lot_unit_never,               // {0} lot, {1} the unit it is counted in, {2} the unit given
  // zh16h (issue 16, the clerk's path).
  rule_packing_counted_input,  // {0} input lot, {1} its creating event's type (words), {2} that entry, {3} product
  key_add_holder_is_name,      // {0} --holder as typed (a party's name), {1} the party id(s) of that name
  key_add_no_holder_note,
  recall_add_party,            // {0} the party that recorded the lot, {1} lot
  bundle_needs_pubkey,
  audit_derived_table,         // {0} entry, {1} table
  audit_sqlite_damaged,        // {0} PRAGMA integrity_check's words
  audit_codes_count,           // {0} serials stored, {1} serials the label jobs commit to
  audit_no_entries,
  audit_signature,             // {0} entry, {1} key id
  audit_chain_broken,          // {0} entry
  audit_leaf_hash,             // {0} entry
  audit_entry_missing,         // {0} entry, {1} the next stored index
  audit_checkpoint_root,       // {0} last entry the checkpoint covers, {1} its size
  row_more_problems,           // {0} how many more problems the row has
  recall_party_unknown,        // {0} --party as given
  ledger_not_given,
  ledger_missing,              // {0} the ledger file
  // cert14h (issue 14, the last trial): the rollback guard (ledger/checkpoint_guard.h).
  checkpoint_guard_memory,          // {0} the log key's memory file
  checkpoint_guard_saved,           // {0} the saved checkpoint's file
  checkpoint_guard_nothing_written,
  checkpoint_guard_not_printed,
  checkpoint_guard_labels,
  checkpoint_guard_not_exported,
  checkpoint_guard_rolled_back,     // {0} which checkpoint, {1} its size, {2} the file's size, {3} what was not done
  checkpoint_guard_forked,          // {0} which checkpoint, {1} its size, {2} what was not done
  checkpoint_guard_other_log,       // {0} which checkpoint, {1} the signature check's finding, {2} what was not done
  char_lookalike,                   // {0} position, {1} the character, {2} U+XXXX, {3} its name, {4} what to type instead
  char_invisible,                   // {0} position, {1} U+XXXX, {2} its name
  show_lot_certificate_valid,       // {0} number, {1} lot
  show_lot_certificate_status,      // {0} number, {1} lot, {2} 已作废/已失效, {3} when, {4} reason
  // station11 (issue 15: the station's upload runs import's yield check).
  harvest_yield_implausible_supervisor,  // as harvest_yield_implausible; the fix: a supervisor confirms at the station
  // zh16i (issue 16: what the regulator reads).
  packing_quantities,      // {0} input quantity in words, {1} count in words, {2} pack size in words
  packing_loss,            // {0} loss in words
  recall_lot_packing,      // {0} input lot, {1} packing_quantities
  recall_csv_packing,      // {0} packing_quantities
  recall_csv_kind_recall,  // recall.csv's kinds in words (its column 类别（中文）)
  recall_csv_kind_lot,
  recall_csv_kind_trace_code,
  recall_csv_kind_shipment,
  recall_csv_kind_recipient,
  // trust14h (issue 14's trust trial, rules version 9: who may state a fact for whom).
  key_clerk_acts_for_other,    // {0} key id, {1} holder, {2} the event type in words, {3} field, {4} the party named
  key_clerk_inspection_other,  // {0} key id, {1} holder, {2} the party the inspection names
  key_clerk_recall_lot,        // {0} key id, {1} holder, {2} lot
  key_clerk_master_other,      // {0} key id, {1} holder, {2} the record in words, {3} entry of its last record
  audit_rules_refuse,          // {0} entry, {1} the rule's refusal
  cert_evidence_signed,        // {0} basis (basis_zh), {1} report number, {2} the signer in words (entry_signer_words)
  key_holder_words,            // {0} the holder: its name and party id, "太原收购商（BUY）"; the id alone without a name
  key_no_holder_words,
  // station13: a harvest recorded beyond the import's yield check, and who vouched for it
  show_lot_yield_supervisor,  // {0} the kg-per-mu bound, {1} the supervisor's account
  show_lot_yield_flag,        // {0} the kg-per-mu bound
  // ship16 (issue 16: what leaves a lot; a crop's own yield bound).
  ship_lot_recalled,                  // {0} lot, {1} made_from words, {2} recall time, {3} recall entry, {4} recall event id
  ship_recalled_goods_not_recalled,   // {0} lot
  ship_recalled_goods_needs_version,  // {0} the ledger's version, {1} the version that adds it
  show_lot_shipped,                   // {0} shipped, {1} unit
  harvest_yield_over_product,             // {0}–{3} as harvest_yield_implausible, {4} the product's bound, {5} product
  harvest_yield_over_product_supervisor,  // the same, confirmed by a supervisor at the station
  // zh16j (issue 16, clerk + regulator trial findings).
  consistency_ok,                // {0} new size, {1} origin, {2} old size, {3} hashes (a count), {4} the signing key(s)
  consistency_failed,            // {0} the finding
  consistency_unsigned,          // {0} --old/--new, {1} file, {2} the signature check's finding
  consistency_other_log,         // {0} --old's origin, {1} --new's origin
  consistency_swapped,           // {0} --old's size, {1} --new's size
  consistency_proof_sizes,       // {0} proof file, {1} its old_size, {2} its new_size, {3} --old's size, {4} --new's size
  consistency_proof_field,       // {0} proof file, {1} the missing key
  consistency_proof_no_hashes,   // {0} proof file
  consistency_proof_hash_text,   // {0} proof file
  consistency_proof_hash_size,   // {0} proof file, {1} bytes
  consistency_roots,             // {0} hashes, {1} old size, {2} old root (base64), {3} new size, {4} new root (base64)
  csv_empty_file,                // {0} file
  backup_done,                   // {0} file, {1} entries (a count), {2} entries under the checkpoint (a count), {3} awaiting note
  backup_awaiting_count,         // {0} entries awaiting a checkpoint
  backup_awaiting,               // {0} entries awaiting (a count)
  backup_failed,                 // {0} ledger file, {1} the finding
  audit_saved_unsigned,          // {0} the signature check's finding, {1} the log key
  audit_saved_covers_more,       // {0} entries in the log, {1} the saved checkpoint's size
  audit_saved_inconsistent,      // {0} the saved checkpoint's size, {1} its root (base64)
  audit_saved_empty_root,        // {0} the saved root, {1} the empty tree's root
  export_bound_unreadable,       // {0} --from/--to, {1} as given, {2} the parser's finding
  export_bound_no_tz,            // {0} --from/--to, {1} as given, {2} the day it means (words), {3} its date
  verifier_serving,              // {0} entries, {1} checkpoint size, {2} seconds
  already_recorded_in_force,     // {0} the correction in force, {1} its quantity ("：4200 公斤") or empty
  show_entry_corrected_many,     // {0} the correction entries
  time_date_only,                // {0} the date (YYYY-MM-DD)
  party_named,                   // {0} party id, {1} its name
};

// One catalogue row.
struct Message {
  Msg id;
  int args;  // how many arguments the texts take ({0} … {args-1})
  std::string_view zh;
  std::string_view en;
};

// The row of `id`. Throws std::logic_error for an id without a row (a bug i18n_test catches).
const Message& message(Msg id);

// Every row, in Msg order (for tests and for translators).
std::string_view catalogue_name(Msg id);
const Message* catalogue_begin();
const Message* catalogue_end();

// The text of `id` in `lang` with `args` filled in. Throws std::logic_error when the
// number of arguments differs from the row's count (a bug).
template <typename... Args>
std::string text(Lang lang, Msg id, const Args&... args) {
  const Message& m = message(id);
  if (static_cast<int>(sizeof...(Args)) != m.args)
    throw std::logic_error(fmt::format("message {} takes {} arguments, given {}", catalogue_name(id), m.args,
                                       sizeof...(Args)));
  return fmt::vformat(lang == Lang::zh ? m.zh : m.en, fmt::make_format_args(args...));
}

// "zh" or "en" → the language; anything else → nullopt.
std::optional<Lang> parse_lang(std::string_view name);

// True for a Chinese locale name: "zh_CN.UTF-8", "zh_CN.GB18030", "zh_TW", "zh".
bool locale_is_chinese(std::string_view locale);

// The language a message is in: `option` (--lang) when given, else Chinese when the
// environment's locale (LC_ALL, LC_MESSAGES, LANG: the first one set) is Chinese, else
// Chinese when `input_is_chinese`, else English. An English or "C" locale does not outvote
// Chinese input: servers often run with LANG=en_US.UTF-8 or C.UTF-8 whoever types the data,
// and `--lang en` asks for English.
Lang choose_lang(std::optional<Lang> option, bool input_is_chinese);

// True when UTF-8 `text` holds a CJK ideograph (U+3400–U+9FFF, U+F900–U+FAFF).
bool has_chinese(std::string_view text);

// True when the first letter of UTF-8 `text` (skipping spaces, digits and punctuation) is a CJK
// ideograph: a message written in Chinese ("账本里没有批次…"), not one that only quotes Chinese data
// ("--holder 王芳: …").
bool starts_chinese(std::string_view text);

}  // namespace agtrace::i18n
