/*
 * A stand-in for the NVIDIA driver's libnvidia-ml.so.1, for hosts without an NVIDIA GPU: the entry points FLick
 * calls, with the signatures and return codes nvml.h documents (NVML_SUCCESS 0, NVML_ERROR_UNINITIALIZED 1,
 * NVML_ERROR_INVALID_ARGUMENT 2, NVML_ERROR_NOT_SUPPORTED 3). Two boards: an RTX with every value and a board that
 * does not support temperature or power. Built by NvmlTest with the host's gcc. -DFAIL_INIT makes nvmlInit_v2 fail
 * as it does with the driver not loaded (NVML_ERROR_DRIVER_NOT_LOADED 9).
 */
#include <string.h>

typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct device { int index; } *nvmlDevice_t;

static struct device devices[2] = {{0}, {1}};
static int initialised = 0;

int nvmlInit_v2(void) {
#ifdef FAIL_INIT
    return 9;
#else
    initialised = 1;
    return 0;
#endif
}

int nvmlShutdown(void) { if (!initialised) return 1; initialised = 0; return 0; }

int nvmlDeviceGetCount_v2(unsigned int *count) {
    if (!initialised) return 1;
    if (!count) return 2;
    *count = 2;
    return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    if (!initialised) return 1;
    if (index > 1 || !device) return 2;
    *device = &devices[index];
    return 0;
}

int nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    const char *n = device->index == 0 ? "NVIDIA GeForce RTX 4090" : "Tesla K80";
    if (!name || length < strlen(n) + 1) return 2;
    strcpy(name, n);
    return 0;
}

int nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *u) {
    if (!u) return 2;
    u->gpu = device->index == 0 ? 87 : 3;
    u->memory = 40;
    return 0;
}

int nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *m) {
    if (!m) return 2;
    m->total = device->index == 0 ? 25757220864ULL : 12079595520ULL;
    m->used = device->index == 0 ? 6442450944ULL : 1048576ULL;
    m->free = m->total - m->used;
    return 0;
}

int nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temp) {
    if (sensor != 0 || !temp) return 2;
    if (device->index == 1) return 3;
    *temp = 64;
    return 0;
}

int nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *milliwatts) {
    if (!milliwatts) return 2;
    if (device->index == 1) return 3;
    *milliwatts = 312456;
    return 0;
}
