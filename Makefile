# kubectl-mesh: the two commands a newcomer needs are `make demo` and `make test`; each
# installs what it needs on a fresh Debian 12 machine first.
SHELL := /bin/bash
JOBS ?= 2
CACHE ?= $(HOME)/.cache/kubectl-mesh
export CCACHE_DIR ?= $(HOME)/.cache/ccache
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

.PHONY: all deps build package test demo bench clean format

all: build

# Debian packages the build, the tests and the demo use; Go comes with the machine.
deps:
	@tools/install-deps.sh

# The optimised binary: build/kubectl-mesh.
build: deps
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKMESH_TESTS=OFF $(LAUNCHER)
	ninja -C build -j $(JOBS) kubectl-mesh

# The .deb, the linux/amd64 tarball and its krew manifest (plugins/mesh.yaml), in
# build/packages/.
package: build
	cd build && cpack

# The whole suite, under AddressSanitizer and UndefinedBehaviorSanitizer, against a
# local control plane that the suite starts and stops itself. Built with clang, which also
# gives the libFuzzer targets (KMESH_FUZZ) and compiles this build faster than g++ (README,
# "The test build is clang").
test: deps
	cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKMESH_SANITIZE=ON \
	  -DCMAKE_CXX_COMPILER=clang++ $(LAUNCHER)
	ninja -C build-test -j $(JOBS)
	cd build-test && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest -j $(JOBS) --output-on-failure --timeout 900

# A scripted tour of the tool on a local control plane, through a real kubectl.
demo: build
	demo/tour.sh

bench: build
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-test
