#include "cli/context.hpp"

#include "lib/core/time.hpp"

namespace kmesh::cli {

Context::Context(Streams streams, kube::Environment environment, kube::ClientOptions client_options)
    : io(streams), env(std::move(environment)), client_options_(std::move(client_options)) {}

Result<std::chrono::milliseconds> Context::request_timeout() const {
  auto d = parse_duration(flags.request_timeout);
  if (!d || d->count() <= 0)
    return usage_error("--request-timeout=\"" + flags.request_timeout +
                       "\" must be a positive duration such as 30s or 2m (there is no \"no"
                       " timeout\": nothing may hang)");
  return *d;
}

Result<kube::Client*> Context::client() {
  if (client_) return client_.get();
  KMESH_ASSIGN_OR_RETURN(auto timeout, request_timeout());
  KMESH_ASSIGN_OR_RETURN(auto config, kube::load_rest_config(flags.kube, env));
  kube::ClientOptions options = client_options_;
  options.request_timeout = timeout;
  options.env = env;
  KMESH_ASSIGN_OR_RETURN(client_, kube::Client::connect(std::move(config), std::move(options)));
  return client_.get();
}

Result<kube::Discovery*> Context::discovery() {
  KMESH_ASSIGN_OR_RETURN(auto* c, client());
  if (!discovery_) discovery_ = std::make_unique<kube::Discovery>(*c);
  KMESH_TRY(discovery_->load());
  return discovery_.get();
}

bool Context::use_color() const {
  auto no_color = env.getenv("NO_COLOR");
  return io.out_is_terminal && !(no_color && !no_color->empty());
}

}  // namespace kmesh::cli
