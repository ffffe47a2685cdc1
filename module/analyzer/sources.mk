ANALYZER_SRCS := analyzer.c arena.c cfg.c loops.c constprop.c cost_model.c default_costs.c estimate.c split.c
