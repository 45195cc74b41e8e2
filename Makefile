# The two commands of the README: `make run` and `make test`. See README.md.
JOBS ?= $(shell nproc)
DB ?= var/kycuong.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build build-asan run test test-unit clean bench format

all: build

deps:
	@bash scripts/deps.sh

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$(JOBS)

build-asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKC_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)

# Creates the demo database on first run and keeps the logins it printed in var/.
run: deps build
	@mkdir -p var
	@if [ ! -f $(DB) ]; then \
	  umask 077; build/kycuong init --db $(DB) --demo | tee var/demo-logins.txt; \
	fi
	@echo
	@echo "kycuong: http://$(LISTEN)/"
	@cat var/demo-logins.txt 2>/dev/null | grep -v '^Đã tạo' || true
	@echo
	@build/kycuong serve --db $(DB) --listen $(LISTEN)

test: deps build build-asan
	@bash scripts/test.sh

clean:
	rm -rf build build-asan

bench: build
	@bash bench/run.sh

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')
