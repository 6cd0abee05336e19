// Progress on stderr: a status line rewritten in place on a terminal, plain lines that change
// only with the state elsewhere; and the wait status the Deployment wait reports.

#include "lib/core/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "lib/mesh/readiness.hpp"

namespace kmesh {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  Progress::Clock fn() {
    return [this] { return now; };
  }
};

TEST(Progress, WithoutATerminalEachNewStatusIsOnePlainLine) {
  std::ostringstream err;
  {
    Progress p(err, /*terminal=*/false);
    p.line("✔ CRDs established");
    p.status("0/2 Deployments Available; waiting for istiod, gateway");
    p.status("0/2 Deployments Available; waiting for istiod, gateway");  // a poll, no change
    p.status("1/2 Deployments Available; waiting for gateway");
    p.line("✔ all Deployments are Available");
  }
  EXPECT_EQ(err.str(),
            "✔ CRDs established\n"
            "0/2 Deployments Available; waiting for istiod, gateway\n"
            "1/2 Deployments Available; waiting for gateway\n"
            "✔ all Deployments are Available\n");
}

TEST(Progress, OnATerminalTheStatusIsRewrittenWithTheSecondsElapsed) {
  std::ostringstream err;
  FakeClock clock;
  {
    Progress p(err, /*terminal=*/true, 80, clock.fn());
    p.status("0/2 Deployments Available");
    clock.now += 3s;
    p.status("1/2 Deployments Available");
    p.line("✔ all Deployments are Available");
  }
  EXPECT_EQ(err.str(),
            "\r\x1b[K0/2 Deployments Available (0s)"
            "\r\x1b[K1/2 Deployments Available (3s)"
            "\r\x1b[K✔ all Deployments are Available\n");
}

TEST(Progress, ALineInTheMiddleOfAWaitKeepsTheWaitsClock) {
  std::ostringstream err;
  FakeClock clock;
  Progress p(err, true, 80, clock.fn());
  p.status("waiting");
  clock.now += 5s;
  p.line("note");
  p.status("waiting");
  p.clear();
  clock.now += 60s;
  p.status("second wait");  // a new wait starts its own clock
  EXPECT_EQ(err.str(),
            "\r\x1b[Kwaiting (0s)\r\x1b[Knote\n\r\x1b[Kwaiting (5s)\r\x1b[K"
            "\r\x1b[Ksecond wait (0s)");
}

TEST(Progress, TheStatusNeverWrapsOnANarrowTerminal) {
  std::ostringstream err;
  FakeClock clock;
  {
    Progress p(err, true, 20, clock.fn());
    p.status("3/12 Deployments Available; waiting for istiod");
  }
  // 19 columns (the last one stays free): the seconds, and the text cut to the rest.
  EXPECT_EQ(err.str(), "\r\x1b[K3/12 Deployme… (0s)\r\x1b[K");
}

TEST(Progress, ATerminalTooNarrowForAStatusGetsPlainLines) {
  std::ostringstream err;
  {
    Progress p(err, true, 12);
    p.status("1/2 Deployments Available");
  }
  EXPECT_EQ(err.str(), "1/2 Deployments Available\n");
}

TEST(Progress, DestroyingItClearsAStatusLeftOnTheTerminal) {
  std::ostringstream err;
  { Progress(err, true).status("x"); }
  EXPECT_EQ(err.str(), "\r\x1b[Kx (0s)\r\x1b[K");
  std::ostringstream plain;
  { Progress(plain, false).status("x"); }
  EXPECT_EQ(plain.str(), "x\n");
}

TEST(FitToColumns, CountsCodePointsNotBytes) {
  EXPECT_EQ(fit_to_columns("✔ done", 6), "✔ done");
  EXPECT_EQ(fit_to_columns("✔ done!", 6), "✔ don…");
  EXPECT_EQ(fit_to_columns("", 5), "");
}

TEST(WaitStatus, CountsTheAvailableAndNamesTheOthers) {
  EXPECT_EQ(mesh::wait_status(3, {"istiod", "istio-egressgateway"}),
            "1/3 Deployments Available; waiting for istiod, istio-egressgateway");
}

}  // namespace
}  // namespace kmesh
