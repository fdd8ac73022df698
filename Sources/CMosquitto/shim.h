#ifndef STREETGATE_CMOSQUITTO_SHIM_H
#define STREETGATE_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
