#include "cli/flags.hpp"

namespace kmesh::cli {

void add_global_flags(CLI::App& app, GlobalFlags& flags) {
  const char* group = "Global flags";
  app.add_option("--kubeconfig", flags.kube.kubeconfig, "Path to the kubeconfig file to use")
      ->group(group);
  app.add_option("--context", flags.kube.context, "The kubeconfig context to use")->group(group);
  app.add_option("--cluster", flags.kube.cluster, "The kubeconfig cluster to use")->group(group);
  app.add_option("--user", flags.kube.user, "The kubeconfig user to use")->group(group);
  app.add_option("-n,--namespace", flags.kube.namespace_, "The namespace to act in")->group(group);
  app.add_option("--request-timeout", flags.request_timeout,
                 "How long to wait for one API request (e.g. 30s, 1m); finite, default 30s")
      ->group(group);
  app.add_option("-v,--v", flags.verbosity,
                 "Log verbosity: 6 requests, 8 bodies (credentials are never shown)")
      ->group(group);
}

void add_output_flag(CLI::App& cmd, std::string& output, const std::string& formats) {
  cmd.add_option("-o,--output", output, "Output format: " + formats);
}

void add_dry_run_flag(CLI::App& cmd, std::string& dry_run) {
  cmd.add_option("--dry-run", dry_run,
                 "none: change the cluster; client: print what would be sent; server: print what"
                 " the server would store, changing nothing")
      ->default_str("none");  // a value is required: a bare --dry-run must not mean "none"
}

void set_examples(CLI::App& cmd, const std::string& examples) {
  cmd.footer("\nExamples:\n" + examples);
}

}  // namespace kmesh::cli
