// SPDX-License-Identifier: GPL-2.0
#include "util/error.h"

G_DEFINE_QUARK(sim - error - quark, sim_error)
