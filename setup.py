"""Metadata goes in setup.cfg; this file only exists for tools that still need it."""
from setuptools import setup

setup()
