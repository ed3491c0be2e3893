// The shared frame of agtrace-ledger and agtrace-labeler: parse, run, exit status.
#include "ledger/cli/program.h"

#include <iostream>

#include "ledger/i18n/refusal.h"
#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/util/error.h"

namespace agtrace::cli {

int run_program(CLI::App& app, int argc, char** argv, const std::function<int()>& run,
                const std::function<std::optional<i18n::Lang>()>& lang) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    return run();
  } catch (const Error& e) {
    const std::optional<i18n::Lang> l = lang ? lang() : std::nullopt;
    std::cerr << (e.kind() == ErrorKind::verification ? "FAILED: "
                  : l == i18n::Lang::zh                 ? i18n::text(*l, i18n::Msg::error_prefix)
                                                        : "error: ")
              << i18n::message_in(e, l) << "\n";
    return e.exit_status();
  } catch (const std::exception& e) {
    std::cerr << "internal error (a bug; please report it): " << e.what() << "\n";
    return 70;
  }
}

void check_log_key_option(const std::string& ledger_path, const std::string& log_key_file) {
  if (ledger_path.empty() || log_key_file.empty()) return;
  try {
    Ledger(ledger_path, false).check_log_key(note::SigningKey::load(log_key_file));
  } catch (const i18n::Refusal& r) {
    throw r.placed("--log-key " + log_key_file);
  } catch (const Error& e) {
    throw Error(e.kind(), "--log-key " + log_key_file + ": " + e.what());
  }
}

}  // namespace agtrace::cli
