#include "lib/kube/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <thread>

#include "lib/core/interrupt.hpp"
#include "lib/core/log.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/retry_policy.hpp"

namespace kmesh::kube {
namespace {

using Clock = std::chrono::steady_clock;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

TransportFailure classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportFailure::kTimeout;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ISSUER_ERROR:
      return TransportFailure::kTls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_PARTIAL_FILE:
      return TransportFailure::kReset;
    default:
      return TransportFailure::kOther;
  }
}

curl_blob blob_of(const std::string& text) {
  return curl_blob{const_cast<char*>(text.data()), text.size(), CURL_BLOB_NOCOPY};
}

// One request in flight or waiting for its next attempt.
struct Slot {
  size_t index = 0;
  int attempt = 0;
  Clock::time_point not_before{};
  Clock::time_point started{};
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpResponse response;
  char error_text[CURL_ERROR_SIZE] = {0};
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<Slot*>(user)->response.body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* slot = static_cast<Slot*>(user);
  std::string_view line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = to_lower(line.substr(0, colon));
    std::string value(trim(line.substr(colon + 1)));
    if (name == "content-type")
      slot->response.content_type = value;
    else if (name == "retry-after")
      slot->response.retry_after = value;
    else if (name == "warning")
      slot->response.warnings.push_back(value);
  }
  return size * count;
}

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(TransportSettings settings) : settings_(std::move(settings)) {
    global_init_once();
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    // A few connections at most: HTTP/2 multiplexes the rest over them.
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
    curl_multi_setopt(multi_, CURLMOPT_MAX_CONCURRENT_STREAMS, 100L);
    split_server();
  }

  ~CurlTransport() override {
    for (CURL* e : idle_)
      curl_easy_cleanup(e);
    curl_multi_cleanup(multi_);
    curl_slist_free_all(connect_to_);
  }

  std::vector<HttpResponse> perform(const std::vector<HttpRequest>& requests) override {
    std::vector<Slot> slots(requests.size());
    std::deque<size_t> waiting;
    for (size_t i = 0; i < requests.size(); ++i) {
      slots[i].index = i;
      waiting.push_back(i);
    }
    size_t done = 0;
    int running = 0;
    int active = 0;
    while (done < requests.size()) {
      // Interrupted: send nothing new, let what is in flight finish, report the rest.
      if (interrupted() && active == 0) {
        for (size_t i : waiting) {
          slots[i].response = HttpResponse{};
          slots[i].response.failure = TransportFailure::kInterrupted;
          slots[i].response.transport_error = "not sent: interrupted";
        }
        break;
      }
      if (!interrupted()) start_due(requests, slots, waiting, active);
      curl_multi_perform(multi_, &running);
      done += collect(requests, slots, waiting, active);
      if (done == requests.size()) break;
      curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(slots, waiting, active), nullptr);
    }
    std::vector<HttpResponse> out;
    out.reserve(slots.size());
    for (auto& s : slots)
      out.push_back(std::move(s.response));
    return out;
  }

 private:
  // With tls-server-name, requests go to that name and CONNECT_TO maps it to the real
  // address: curl then sends it as SNI and verifies the certificate against it.
  void split_server() {
    base_url_ = settings_.server;
    while (ends_with(base_url_, "/"))
      base_url_.pop_back();
    if (settings_.tls.server_name.empty()) return;
    std::string rest = base_url_.substr(base_url_.find("://") + 3);
    size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
    std::string host = authority, port = "443";
    size_t colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
    base_url_ = "https://" + settings_.tls.server_name + ":" + port + prefix;
    connect_to_ = curl_slist_append(
        nullptr, (settings_.tls.server_name + ":" + port + ":" + host + ":" + port).c_str());
  }

  CURL* take_easy() {
    if (idle_.empty()) return curl_easy_init();
    CURL* e = idle_.back();
    idle_.pop_back();
    curl_easy_reset(e);
    return e;
  }

  void configure(CURL* e, const HttpRequest& req, Slot& slot) {
    curl_easy_setopt(e, CURLOPT_URL, (base_url_ + req.path).c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min<long>(settings_.timeout.count(), 10000)));
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, slot.error_text);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &slot);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &slot);
    curl_easy_setopt(e, CURLOPT_PROXY, settings_.proxy.c_str());
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // gzip when the server offers it
    if (connect_to_) curl_easy_setopt(e, CURLOPT_CONNECT_TO, connect_to_);
    configure_tls(e);
    if (req.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
    curl_slist* list = curl_slist_append(nullptr, "Expect:");
    for (const auto& [name, value] : req.headers)
      list = curl_slist_append(list, (name + ": " + value).c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
    slot.header_list = list;
  }

  void configure_tls(CURL* e) {
    const TlsSettings& tls = settings_.tls;
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, tls.insecure_skip_verify ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, tls.insecure_skip_verify ? 0L : 2L);
    if (!tls.ca_pem.empty()) {
      curl_blob ca = blob_of(tls.ca_pem);
      curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &ca);
    }
    if (!tls.client_cert_pem.empty()) {
      curl_blob cert = blob_of(tls.client_cert_pem);
      curl_blob key = blob_of(tls.client_key_pem);
      curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
      curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
      curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
      curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
    }
  }

  void start_due(const std::vector<HttpRequest>& requests, std::vector<Slot>& slots,
                 std::deque<size_t>& waiting, int& active) {
    auto now = Clock::now();
    for (auto it = waiting.begin(); it != waiting.end() && active < settings_.max_in_flight;) {
      Slot& slot = slots[*it];
      if (slot.not_before > now) {
        ++it;
        continue;
      }
      slot.attempt++;
      slot.response = HttpResponse{};
      slot.response.attempts = slot.attempt;
      slot.error_text[0] = 0;
      slot.easy = take_easy();
      configure(slot.easy, requests[slot.index], slot);
      curl_easy_setopt(slot.easy, CURLOPT_PRIVATE, &slot);
      slot.started = Clock::now();
      curl_multi_add_handle(multi_, slot.easy);
      ++active;
      it = waiting.erase(it);
    }
  }

  // Takes finished transfers off the multi handle; returns how many are final.
  size_t collect(const std::vector<HttpRequest>& requests, std::vector<Slot>& slots,
                 std::deque<size_t>& waiting, int& active) {
    size_t finished = 0;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Slot* slot = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&slot));
      record(*slot, msg->data.result);
      curl_multi_remove_handle(multi_, slot->easy);
      curl_slist_free_all(slot->header_list);
      slot->header_list = nullptr;
      idle_.push_back(slot->easy);
      slot->easy = nullptr;
      --active;
      const HttpRequest& req = requests[slot->index];
      log_attempt(req, *slot);
      if (auto delay = retry_delay(req, slot->response, slot->attempt)) {
        slot->not_before = Clock::now() + *delay;
        waiting.push_back(slot->index);
      } else {
        ++finished;
      }
    }
    (void)slots;
    return finished;
  }

  void record(Slot& slot, CURLcode code) {
    HttpResponse& r = slot.response;
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - slot.started);
    if (code == CURLE_OK) {
      curl_easy_getinfo(slot.easy, CURLINFO_RESPONSE_CODE, &r.status);
      return;
    }
    r.status = 0;
    r.failure = classify(code);
    r.transport_error = slot.error_text[0] ? slot.error_text : curl_easy_strerror(code);
    r.body.clear();
  }

  void log_attempt(const HttpRequest& req, const Slot& slot) {
    if (!log::enabled(6)) return;
    const HttpResponse& r = slot.response;
    std::string status = r.status ? std::to_string(r.status) : "failed (" + r.transport_error + ")";
    log::at(6, req.method + " " + base_url_ + req.path + " " + status + " in " +
                   std::to_string(r.elapsed.count()) + " milliseconds");
    if (log::enabled(8)) {
      if (!req.body.empty()) log::at(8, "Request Body: " + req.body);
      if (!r.body.empty()) log::at(8, "Response Body: " + r.body);
    }
  }

  // How long to wait for socket activity: until the next retry's backoff ends. A request
  // that is due but waits for a free slot wakes nothing: the transfer that finishes and frees
  // the slot does. (Counting those made every poll return at once: a busy loop of about 70
  // polls per request while more requests than max_in_flight were queued.)
  int poll_timeout_ms(const std::vector<Slot>& slots, const std::deque<size_t>& waiting,
                      int active) const {
    auto now = Clock::now();
    long wait = 1000;
    for (size_t i : waiting) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(slots[i].not_before - now);
      if (until.count() <= 0) {
        // Room for it: start it now (but nothing starts once interrupted).
        if (active < settings_.max_in_flight && !interrupted()) return 0;
        continue;
      }
      wait = std::min<long>(wait, until.count());
    }
    return static_cast<int>(wait);
  }

  TransportSettings settings_;
  std::string base_url_;
  curl_slist* connect_to_ = nullptr;
  CURLM* multi_ = nullptr;
  std::vector<CURL*> idle_;
};

}  // namespace

std::unique_ptr<HttpTransport> make_curl_transport(TransportSettings settings) {
  return std::make_unique<CurlTransport>(std::move(settings));
}

}  // namespace kmesh::kube
