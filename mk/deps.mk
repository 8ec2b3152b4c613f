# Install the project's packages on first use (and again whenever the install
# script changes). This runs at parse time, so nothing is compiled before the
# tools and headers are present. `make deps` forces a re-check.

DEPS_STAMP := $(BUILD)/.deps-ok

ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
ifneq ($(shell test -f $(DEPS_STAMP) -a $(DEPS_STAMP) -nt scripts/install-deps.sh && echo ok),ok)
$(info make: checking the project's packages (scripts/install-deps.sh))
DEPS_RC := $(shell bash scripts/install-deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/install-deps.sh failed (exit $(DEPS_RC)); see the messages above)
endif
$(shell mkdir -p $(BUILD) && touch $(DEPS_STAMP))
endif
endif

.PHONY: deps
deps:
	bash scripts/install-deps.sh
	mkdir -p $(BUILD) && touch $(DEPS_STAMP)
