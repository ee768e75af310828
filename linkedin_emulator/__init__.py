"""LinkedIn REST API emulator for source-linkedin-org's end-to-end tests, demo and benchmark."""

from linkedin_emulator.data import Dataset
from linkedin_emulator.server import Emulator, EmulatorSettings

__all__ = ["Dataset", "Emulator", "EmulatorSettings"]
