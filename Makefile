# keywarden: the two commands a newcomer needs are `make scan` and `make test`.
PREFIX ?= /usr/local
BENCH ?= ../shared/bench

.PHONY: scan test build release install man bench deps clean fuzz fuzz-short dist deb image image-prebuilt release-check

scan:            ## install packages, build a release binary, scan this repository
	scripts/scan.sh

test:            ## install packages, build, run the whole test suite
	scripts/test.sh

deps:
	scripts/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release --static-swift-stdlib

install: release ## copy the binary to $(PREFIX)/bin (the rules are inside it)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/keywarden $(DESTDIR)$(PREFIX)/bin/keywarden

man:             ## man pages from the commands' help (argument-parser's generate-manual plugin) into .build/man/man1
	swift package --allow-writing-to-package-directory generate-manual --configuration debug --multi-page
	python3 scripts/man-pages.py .build/plugins/GenerateManual/outputs/keywarden .build/man/man1

dist:            ## release tarball dist/keywarden-VERSION-linux-ARCH.tar.gz (+ SHA256SUMS); see docs/install.md
	scripts/dist.sh

deb: dist        ## Debian package dist/keywarden_VERSION_ARCH.deb, built with dpkg-deb
	scripts/deb.sh

CONTAINER ?= $(shell command -v podman || command -v docker)
IMAGE ?= keywarden:$(shell tr -d '[:space:]' < VERSION)

image:           ## container image from Containerfile (build stage with Swift, slim Debian runtime)
	$(CONTAINER) build -t $(IMAGE) -f Containerfile --build-arg KEYWARDEN_COMMIT=$$(git rev-parse --short=12 HEAD) \
	  $(if $(SWIFT_IMAGE),--build-arg SWIFT_IMAGE=$(SWIFT_IMAGE)) $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) .

image-prebuilt: dist ## the same final image from the tarball make dist built (no Swift image needed)
	$(CONTAINER) build -t $(IMAGE) -f Containerfile --target prebuilt \
	  $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) .

release-check:   ## build every artifact, then install and run each one that can run here
	scripts/release-check.sh

bench: release   ## keywarden beside gitleaks, betterleaks and kingfisher (needs the shared bench kit)
	@test -x $(BENCH)/compare || { echo "no benchmark kit at $(BENCH) (set BENCH=...)"; exit 2; }
	$(BENCH)/peers
	$(BENCH)/corpus all
	$(BENCH)/compare --runs 3 --keywarden .build/release/keywarden

fuzz:            ## libFuzzer targets for the parsers of untrusted bytes, 60 s each (FUZZ_SECONDS=1800 for longer)
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

fuzz-short:      ## the short pass CI runs: 10 s each
	scripts/fuzz.sh 10

clean:
	rm -rf .build
