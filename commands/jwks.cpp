// kubectl mesh jwks: a JWKS for Istio's RequestAuthentication from PEM keys, and
// kubectl mesh jwks verify: which jwtRule would accept a token, or why none would.

#include "lib/mesh/jwks.hpp"

#include <iterator>
#include <sstream>

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/ops.hpp"
#include "lib/mesh/jwks_verify.hpp"

namespace kmesh::commands {
namespace {

struct JwksOptions {
  std::vector<std::string> files;
  std::vector<std::string> kids;
  std::string alg;
  std::string output;
};

Status run_jwks(const JwksOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(o.output, {cli::Format::kJson, cli::Format::kYaml}));
  if (o.files.empty())
    return usage_error("--from is required: name the PEM key or certificate files");
  KMESH_ASSIGN_OR_RETURN(auto jwks, mesh::build_jwks(o.files, o.kids, o.alg));
  cli::print_value(ctx.io.out, jwks, format == cli::Format::kDefault ? cli::Format::kJson : format);
  return {};
}

struct VerifyOptions {
  std::string token;  ///< the token itself, or "-" for stdin
  std::string token_file;
  std::string jwks_file;
  std::string issuer;
  bool from_cluster = false;
};

Status validate(const VerifyOptions& o) {
  if (o.token.empty() == o.token_file.empty())
    return usage_error(
        "give the token as one argument, \"-\" to read it from stdin, or --token-file F");
  if (o.jwks_file.empty() == !o.from_cluster)
    return usage_error(
        "give --jwks FILE, or --from-cluster (with -n NS) to use the namespace's "
        "RequestAuthentications");
  if (!o.issuer.empty() && o.from_cluster)
    return usage_error(
        "--issuer goes with --jwks; with --from-cluster each rule names its own issuer");
  return {};
}

Result<std::string> read_token(const VerifyOptions& o, cli::Context& ctx) {
  if (o.token == "-") return std::string(std::istreambuf_iterator<char>(ctx.io.in), {});
  if (o.token_file.empty()) return o.token;
  auto text = read_file(o.token_file);
  if (!text.ok) return usage_error("--token-file " + o.token_file + ": " + text.error);
  return text.text;
}

Result<mesh::JwtRules> cluster_rules(cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  auto resource = discovery->find_preferred("security.istio.io", "RequestAuthentication");
  if (!resource)
    return cluster_error(
        "the cluster has no RequestAuthentication resource: Istio's CRDs are not installed"
        " (kubectl mesh install)");
  std::string ns = client->default_namespace();
  KMESH_ASSIGN_OR_RETURN(auto objects, kube::list_objects(*client, *resource, ns, ""));
  auto rules = mesh::rules_from_request_authentications(objects);
  if (rules.rules.empty())
    rules.notes.push_back("namespace " + ns +
                          " has no RequestAuthentication rule with an inline jwks");
  return rules;
}

Result<mesh::JwtRules> rules_of(const VerifyOptions& o, cli::Context& ctx) {
  if (o.from_cluster) return cluster_rules(ctx);
  auto text = read_file(o.jwks_file);
  if (!text.ok) return usage_error("--jwks " + o.jwks_file + ": " + text.error);
  KMESH_ASSIGN_OR_RETURN(auto rule, mesh::rule_from_jwks_file(text.text, o.jwks_file, o.issuer));
  return mesh::JwtRules{{std::move(rule)}, {}};
}

// What the token says about itself, without the token: enough to match it to a rule.
std::string token_summary(const mesh::Jwt& jwt) {
  auto field = [&](const Json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                 : std::string("(none)");
  };
  std::string text = "token: alg " + field(jwt.header, "alg") + ", kid " +
                     field(jwt.header, "kid") + ", issuer " + field(jwt.claims, "iss");
  if (jwt.claims.contains("exp") && jwt.claims["exp"].is_number())
    text += ", expires " +
            format_rfc3339(SystemTime(std::chrono::seconds(jwt.claims["exp"].get<long long>())));
  return text;
}

std::string verdict_line(const mesh::RuleVerdict& v) {
  std::string rule = v.source + (v.issuer.empty() ? "" : " (issuer " + v.issuer + ")");
  return rule + ": " + (v.accepted ? "accepted, signed with kid " + v.kid : v.reason);
}

Status report(const std::vector<mesh::RuleVerdict>& verdicts, cli::Context& ctx) {
  bool accepted = false;
  for (const auto& v : verdicts)
    accepted |= v.accepted;
  if (accepted) {
    for (const auto& v : verdicts)
      ctx.io.out << verdict_line(v) << '\n';
    return {};
  }
  if (verdicts.size() == 1)
    return Error{ErrorKind::kFindings, "token rejected by " + verdict_line(verdicts.front())};
  std::string text = "token rejected by all " + std::to_string(verdicts.size()) + " rules:";
  for (const auto& v : verdicts)
    text += "\n  " + verdict_line(v);
  return Error{ErrorKind::kFindings, text};
}

Status run_verify(const VerifyOptions& o, cli::Context& ctx) {
  KMESH_TRY(validate(o));
  KMESH_ASSIGN_OR_RETURN(auto token, read_token(o, ctx));
  if (trim(token).empty()) return usage_error("the token is empty");
  KMESH_ASSIGN_OR_RETURN(auto rules, rules_of(o, ctx));
  for (const auto& note : rules.notes)
    ctx.io.err << "note: " << note << '\n';
  if (rules.rules.empty()) return usage_error("nothing to verify the token against");
  KMESH_ASSIGN_OR_RETURN(auto jwt, mesh::decode_jwt(token));
  ctx.io.err << token_summary(jwt) << '\n';
  KMESH_ASSIGN_OR_RETURN(auto verdicts,
                         mesh::verify_jwt(jwt, rules.rules, std::chrono::system_clock::now()));
  return report(verdicts, ctx);
}

void register_verify(CLI::App& jwks, cli::Context& ctx, Status& result) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd = jwks.add_subcommand(
      "verify",
      "Check a JWT's signature, issuer and expiry as the mesh's RequestAuthentication would");
  cmd->add_option("token", o->token,
                  "The token, or - to read it from stdin (keeps it out of shell history)");
  cmd->add_option("--token-file", o->token_file, "Read the token from this file");
  cmd->add_option("--jwks", o->jwks_file, "Verify against this JWKS file");
  cmd->add_option("--issuer", o->issuer, "With --jwks: the issuer (iss) to require; default: any");
  cmd->add_flag("--from-cluster", o->from_cluster,
                "Verify against the jwtRules of the RequestAuthentications in the namespace (-n)");
  cli::set_examples(
      *cmd,
      "  kubectl mesh jwks verify - -n bookstore-servicemesh --from-cluster < token.txt\n"
      "  kubectl mesh jwks verify --token-file token.txt --jwks jwks.json --issuer "
      "icyfenix@gmail.com\n");
  bind(cmd, ctx, result, o, run_verify);
}

}  // namespace

void register_jwks(CLI::App& root, cli::Context& ctx, Status& result) {
  auto o = std::make_shared<JwksOptions>();
  auto* cmd = root.add_subcommand(
      "jwks", "Print a JWKS for RequestAuthentication from PEM keys; verify tokens");
  cmd->add_option("--from", o->files,
                  "PEM public keys, certificates or private keys (only the public part is used); "
                  "several for rotation");
  cmd->add_option("--kid", o->kids,
                  "Key IDs, one per --from file in order; default: each key's RFC 7638 thumbprint");
  cmd->add_option("--alg", o->alg,
                  "Set alg on every key (RS256 ... PS512, ES256, ES384, ES512); default: none");
  cli::add_output_flag(*cmd, o->output, "json, yaml");
  cli::set_examples(
      *cmd,
      "  kubectl mesh jwks --from jwt-signing.pem\n"
      "  kubectl mesh jwks --from new.crt --from old.crt --kid 2026-05 --kid 2025-11 -o yaml\n");
  register_verify(*cmd, ctx, result);
  // CLI11 runs a parent's callback after its subcommand's: nothing to do after verify.
  cmd->callback([cmd, &ctx, &result, o] {
    if (!cmd->get_subcommands().empty()) return;
    ctx.command_path = command_path(cmd);
    log::configure(ctx.flags.verbosity, &ctx.io.err);
    result = run_jwks(*o, ctx);
  });
}

}  // namespace kmesh::commands
