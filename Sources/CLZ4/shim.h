#ifndef CLINICLOG_CLZ4_SHIM_H
#define CLINICLOG_CLZ4_SHIM_H
#include <lz4.h>
#endif
