// SPDX-License-Identifier: MIT
#include <linux/kernel_api.h>

volatile long corpus_sink;
