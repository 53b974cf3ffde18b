# Entry points. Each target is a script in scripts/, runnable on its own.
.PHONY: all test run profile setup base tree export check kernel selftests vm flake stress clean

all: test

test:			## the test suite (README, CI): ends "N passed, N failed"
	scripts/test.sh
run:			## the main job: build, boot, run, print the table
	scripts/main.sh
profile:		## the main job's runs under perf in the guest: where the time goes
	scripts/main.sh --profile
setup:			## install the Debian packages
	scripts/setup-host.sh
base:			## fetch, verify and unpack the pinned base
	scripts/fetch-base.sh
tree:			## materialise build/linux: base + patches/ (FORCE=1 to discard work)
	scripts/make-tree.sh
export:			## write build/linux's series back into patches/
	scripts/export-series.sh
check:			## every patch: checkpatch --strict, builds (W=1), test_progs builds
	scripts/check-series.sh
kernel:			## build the debug kernel (VARIANT=vm for the minimal one)
	scripts/build-kernel.sh $(or $(VARIANT),debug)
selftests:		## build the pruned test_progs
	scripts/build-selftests.sh
vm:			## boot the debug kernel and run CMD inside: make vm CMD='...'
	scripts/vm-run.sh -k $(or $(VARIANT),debug) -n shell -- '$(CMD)'
flake:			## run TEST N times in one boot: make flake TEST='a/b' N=200
	scripts/flake.sh -n $(or $(N),200) '$(TEST)'
stress:			## the long runs: make stress MIN=30 OPS=20000 ROUNDS=100000 JOBS=8 [VARIANT=vm]
	scripts/stress.sh -k $(or $(VARIANT),debug) -m $(or $(MIN),30) -o $(or $(OPS),20000) -r $(or $(ROUNDS),100000) -j $(or $(JOBS),8)
clean:			## remove build/ (the tree too: export first)
	rm -rf build
