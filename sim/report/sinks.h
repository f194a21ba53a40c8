/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-run output files a command can be asked for (--trace, --csv,
 * --perfetto, --ftrace), opened together, fed from one observer and one
 * probe, and committed together: either every file is complete or none is
 * left behind (util/outfile.h).
 *
 * Module prefix: sim_sinks_.
 */
#ifndef SIM_REPORT_SINKS_H
#define SIM_REPORT_SINKS_H

#include "engine/batch.h"
#include "report/ftrace.h"
#include "report/perfetto.h"
#include "report/report.h"
#include "util/outfile.h"

struct sim_sinks_paths {
	const char *trace, *csv, *perfetto, *ftrace; /* NULL: not wanted */
};

struct sim_sinks {
	SimOutfile *trace_file, *csv_file, *perfetto_file, *ftrace_file;
	struct sim_trace_sink trace; /* .trace may also be stdout */
	struct sim_perfetto perfetto;
	struct sim_ftrace ftrace;
	bool perfetto_on, ftrace_on;
};

/* Open what `p` names; the trace goes to `trace_default` when not named. */
bool sim_sinks_open(struct sim_sinks *s, const struct sim_sinks_paths *p, FILE *trace_default,
		    const SimScenario *sc, GError **error);
/* The variant the next runs belong to. */
void sim_sinks_variant(struct sim_sinks *s, const char *variant);
/* Point a batch at the sinks (nothing when none is open). */
void sim_sinks_attach(struct sim_sinks *s, struct sim_batch_opts *o);
bool sim_sinks_commit(struct sim_sinks *s, GError **error);
/* Remove whatever was not committed. */
void sim_sinks_abandon(struct sim_sinks *s);

#endif /* SIM_REPORT_SINKS_H */
