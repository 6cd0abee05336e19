// kubectl mesh graph with the real tools around it (its own CTest entry, label "render"):
// Graphviz renders the DOT output, Mermaid's own library (in headless Chromium) parses and
// renders the Mermaid output, Chromium renders the HTML page, a real Prometheus (its data
// backfilled with promtool from samples written here) supplies the edge rates, and the
// graph of the bookstore applied to the shared control plane has its gateway and five
// services. A missing tool fails the test with the command that installs it.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "lib/core/strings.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/mesh/graph/prometheus.hpp"
#include "tests/integration/harness.hpp"

extern char** environ;

namespace kmesh::testing {
namespace {

const std::vector<std::string> kServices = {"account", "authentication", "frontend", "payment",
                                            "warehouse"};

std::string source_dir() {
  return KMESH_SOURCE_DIR;
}

bool on_path(const std::string& program) {
  for (const auto& dir : split(std::getenv("PATH") ? std::getenv("PATH") : "", ':'))
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

// Fails (never skips) when a tool is missing, saying how to install it.
#define REQUIRE_TOOL(program, package)                                           \
  if (!on_path(program)) {                                                       \
    FAIL() << (program) << " is not installed: apt-get install -y " << (package) \
           << " (tools/install-deps.sh installs it)";                            \
  }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The bookstore's mesh overlay as our engine renders it, in a namespace of the test's own.
std::string bookstore_yaml(const std::string& ns = "bookstore-servicemesh") {
  kustomize::DiskFileSource files;
  auto objects =
      kustomize::build(source_dir() + "/kustomize-templates/bookstore/overlays/mesh", files);
  EXPECT_TRUE(objects.ok()) << (objects.ok() ? "" : objects.error().message);
  return replace_all(objects.ok() ? kustomize::to_yaml(*objects) : "", "bookstore-servicemesh", ns);
}

std::string bookstore_file() {
  static const std::string path = write_file(temp_dir(), "bookstore.yaml", bookstore_yaml());
  return path;
}

Output chromium(const std::vector<std::string>& extra, const std::string& url) {
  std::vector<std::string> argv = {"chromium",
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + temp_dir()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  return run_program(argv, 180);
}

TEST(GraphRender, DotOutputRendersWithGraphviz) {
  REQUIRE_TOOL("dot", "graphviz");
  Output dot = mesh({"graph", "-f", bookstore_file(), "-o", "dot"});
  ASSERT_EQ(dot.code, 0) << dot.err;
  std::string file = write_file(temp_dir(), "g.dot", dot.out);
  Output svg = run_program({"dot", "-Tsvg", file});
  ASSERT_EQ(svg.code, 0) << svg.err;
  EXPECT_EQ(svg.err, "") << "Graphviz warned about our DOT";
  for (const auto& s : kServices)
    EXPECT_NE(svg.out.find(">" + s + "<"), std::string::npos) << s;
  Output ours = mesh({"graph", "-f", bookstore_file(), "-o", "svg"});
  ASSERT_EQ(ours.code, 0) << ours.err;
  EXPECT_NE(ours.out.find("<svg"), std::string::npos);
  EXPECT_NE(ours.out.find("bookstore&#45;gateway"), std::string::npos)
      << "Graphviz writes - as &#45;";
}

TEST(GraphRender, SvgWithoutGraphvizSaysHowToInstallIt) {
  std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", temp_dir().c_str(), 1);
  Output o = mesh({"graph", "-f", bookstore_file(), "-o", "svg"});
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("apt-get install graphviz"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
}

// mermaid.min.js from the npm registry's mermaid package, cached across runs.
std::string mermaid_js() {
  const std::string version = "11.17.2";
  const char* home = std::getenv("HOME");
  std::string dir = std::string(home ? home : "/tmp") + "/.cache/kubectl-mesh/mermaid-" + version;
  std::string js = dir + "/package/dist/mermaid.min.js";
  if (std::filesystem::exists(js)) return js;
  if (!on_path("npm")) return "";
  std::filesystem::create_directories(dir);
  Output pack = run_program(
      {"npm", "pack", "mermaid@" + version, "--pack-destination", dir, "--silent"}, 300);
  if (pack.code != 0) return "";
  run_program({"tar", "-xzf", dir + "/mermaid-" + version + ".tgz", "-C", dir,
               "package/dist/mermaid.min.js"});
  return std::filesystem::exists(js) ? js : "";
}

// Mermaid's parser and renderer in Chromium: "RENDERED" and the SVG, or "ERROR ...".
std::string render_mermaid(const std::string& js, const std::string& text) {
  std::string page =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\"file://" + js +
      "\"></script></head><body><pre id=\"out\">PENDING</pre><div id=\"svg\"></div><script>\n"
      "const text = " +
      Json(text).dump() +
      ";\n"
      "mermaid.initialize({startOnLoad: false});\n"
      "mermaid.parse(text).then(() => mermaid.render('g', text)).then(r => {\n"
      "  document.getElementById('svg').innerHTML = r.svg;\n"
      "  document.getElementById('out').textContent = 'RENDERED';\n"
      "}).catch(e => { document.getElementById('out').textContent = 'ERROR ' + e; });\n"
      "</script></body></html>\n";
  std::string file = write_file(temp_dir(), "mermaid.html", page);
  return chromium({"--virtual-time-budget=20000", "--dump-dom"}, "file://" + file).out;
}

TEST(GraphRender, MermaidOutputParsesAndRendersWithMermaid) {
  REQUIRE_TOOL("chromium", "chromium");
  std::string js = mermaid_js();
  ASSERT_FALSE(js.empty())
      << "cannot fetch mermaid from the npm registry: needs npm (apt-get install -y npm)"
         " and the registry; or put mermaid.min.js in "
         "~/.cache/kubectl-mesh/mermaid-11.17.2/package/dist";
  // The check can fail: a broken diagram is reported as an error.
  EXPECT_NE(render_mermaid(js, "flowchart LR\n  a -->|\"x\" b\n").find("ERROR"), std::string::npos);
  Output mermaid = mesh({"graph", "-f", bookstore_file(), "-o", "mermaid"});
  ASSERT_EQ(mermaid.code, 0) << mermaid.err;
  std::string dom = render_mermaid(js, mermaid.out);
  EXPECT_NE(dom.find("id=\"out\">RENDERED<"), std::string::npos) << dom.substr(0, 2000);
  for (const auto& s : kServices)
    EXPECT_NE(dom.find(s), std::string::npos) << s;
}

TEST(GraphRender, HtmlPageRendersInChromiumWithTheFiveServices) {
  REQUIRE_TOOL("chromium", "chromium");
  Output html = mesh({"graph", "-f", bookstore_file(), "-o", "html"});
  ASSERT_EQ(html.code, 0) << html.err;
  std::string dir = temp_dir(), page = write_file(dir, "mesh.html", html.out),
              png = dir + "/out.png";
  Output shot = chromium({"--screenshot=" + png, "--window-size=1200,900"}, "file://" + page);
  ASSERT_EQ(shot.code, 0) << shot.err;
  std::string image = read_file(png);
  ASSERT_GT(image.size(), 20000u) << "the screenshot is (nearly) blank";
  ASSERT_EQ(image.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (static_cast<unsigned char>(image[at]) << 24) |
           (static_cast<unsigned char>(image[at + 1]) << 16) |
           (static_cast<unsigned char>(image[at + 2]) << 8) |
           static_cast<unsigned char>(image[at + 3]);
  };
  EXPECT_EQ(be32(16), 1200u);
  EXPECT_EQ(be32(20), 900u);
  Output dom = chromium({"--dump-dom"}, "file://" + page);
  ASSERT_EQ(dom.code, 0) << dom.err;
  for (const auto& s : kServices)
    EXPECT_NE(dom.out.find(">" + s + "</text>"), std::string::npos) << s;
  EXPECT_NE(dom.out.find(">bookstore-gateway</text>"), std::string::npos);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// A Prometheus server of the test's own, stopped (by its pid) when the test ends.
class Prometheus {
 public:
  Prometheus(const std::string& data_dir, const std::string& config) : port_(free_port()) {
    std::vector<std::string> args = {"prometheus", "--config.file=" + config,
                                     "--storage.tsdb.path=" + data_dir,
                                     "--storage.tsdb.retention.time=100y",
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port_)};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    log_ = data_dir + "/../prometheus.log";
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    if (::posix_spawnp(&pid_, "prometheus", &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Prometheus() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return read_file(log_); }
  bool wait_ready() const {
    for (int i = 0; i < 300 && pid_ > 0; ++i) {
      if (mesh::graph::curl_get(std::chrono::seconds(2))(url() + "/-/ready").ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

 private:
  int port_;
  pid_t pid_ = 0;
  std::string log_;
};

// Counters growing linearly for 20 minutes before kEval, one sample every 15 s.
constexpr long kEval = 1767226800;  // 2026-01-01T00:20:00Z

std::string openmetrics() {
  struct Series {
    std::string reporter, service, version, code;
    double per_second;
  };
  const std::vector<Series> series = {
      {"destination", "account", "v1", "200", 1.8}, {"destination", "account", "v1", "503", 0.2},
      {"source", "account", "v1", "200", 99},  // counted only when no destination report exists
      {"destination", "payment", "v1", "200", 0.5}, {"source", "frontend", "v1", "200", 3},
      {"source", "frontend", "v1", "500", 1},
  };
  std::string out = "# HELP istio_requests_total Requests.\n# TYPE istio_requests_total counter\n";
  for (const auto& s : series)
    for (long t = kEval - 1200; t <= kEval; t += 15) {
      char value[64];
      std::snprintf(value, sizeof value, "%.3f", s.per_second * (t - (kEval - 1200)));
      out += "istio_requests_total{reporter=\"" + s.reporter + "\",destination_service_name=\"" +
             s.service +
             "\",destination_service_namespace=\"bookstore-servicemesh\",destination_version=\"" +
             s.version + "\",response_code=\"" + s.code + "\"} " + value + " " + std::to_string(t) +
             "\n";
    }
  return out + "# EOF\n";
}

TEST(GraphPrometheus, EdgeRatesMatchTheSamples) {
  REQUIRE_TOOL("prometheus", "prometheus");
  REQUIRE_TOOL("promtool", "prometheus");
  std::string dir = temp_dir(), data = dir + "/data";
  std::filesystem::create_directories(data);
  std::string samples = write_file(dir, "samples.om", openmetrics());
  Output backfill =
      run_program({"promtool", "tsdb", "create-blocks-from", "openmetrics", samples, data}, 300);
  ASSERT_EQ(backfill.code, 0) << backfill.out << backfill.err;
  std::string config = write_file(dir, "prometheus.yml", "global:\n  scrape_interval: 15s\n");
  Prometheus prometheus(data, config);
  ASSERT_TRUE(prometheus.wait_ready()) << prometheus.log();

  Output dot = mesh({"graph", "-f", bookstore_file(), "--prometheus", prometheus.url(), "--time",
                     std::to_string(kEval), "-o", "dot"});
  ASSERT_EQ(dot.code, 0) << dot.err;
  auto edge_to = [&](const std::string& service) {
    // The edge line whose label carries the route to this service's subset.
    for (const auto& line : split(dot.out, '\n'))
      if (line.find(" -> ") != std::string::npos && line.find("req/s") != std::string::npos &&
          line.find(service == "account"   ? "/restful/accounts"
                    : service == "payment" ? "/restful/pay"
                                           : "any request") != std::string::npos)
        return line;
    return std::string();
  };
  EXPECT_NE(edge_to("account").find("2.00 req/s, 10.0% 5xx"), std::string::npos) << dot.out;
  EXPECT_NE(edge_to("payment").find("0.50 req/s, 0.0% 5xx"), std::string::npos) << dot.out;
  EXPECT_NE(edge_to("frontend").find("4.00 req/s, 25.0% 5xx"), std::string::npos) << dot.out;
  EXPECT_EQ(dot.out.find("99"), std::string::npos) << "source-reported traffic counted twice";

  Output html = mesh({"graph", "-f", bookstore_file(), "--prometheus", prometheus.url(), "--time",
                      "2026-01-01T00:20:00Z", "-o", "html"});
  ASSERT_EQ(html.code, 0) << html.err;
  EXPECT_NE(html.out.find("<td>2.00 req/s, 10.0% 5xx</td>"), std::string::npos);

  Output bad =
      mesh({"graph", "-f", bookstore_file(), "--prometheus", prometheus.url() + "/nothing-here"});
  EXPECT_EQ(bad.code, 1) << bad.err;
}

TEST(GraphCluster, BookstoreOnTheClusterHasTheGatewayAndFiveServices) {
  REQUIRE_TOOL("dot", "graphviz");
  std::string ns = unique_name("graph");
  std::string file = write_file(temp_dir(), "bookstore.yaml", bookstore_yaml(ns));
  Output applied = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", file});
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err;
  Output dot = mesh({"--kubeconfig", kubeconfig(), "graph", "-n", ns});
  ASSERT_EQ(dot.code, 0) << dot.err;
  EXPECT_NE(dot.out.find("bookstore-gateway"), std::string::npos);
  for (const auto& s : kServices) {
    EXPECT_NE(dot.out.find("label=\"" + s + "." + ns + "\""), std::string::npos) << s;
    EXPECT_NE(dot.out.find("label=\"v1\""), std::string::npos);
  }
  Output svg = run_program({"dot", "-Tsvg", write_file(temp_dir(), "g.dot", dot.out)});
  EXPECT_EQ(svg.code, 0) << svg.err;
  kubectl({"delete", "namespace", ns, "--wait=false"});
}

}  // namespace
}  // namespace kmesh::testing
