"""Loopback stand-ins and an in-process server for the gateway tests and benchmark."""
