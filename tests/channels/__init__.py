"""Gateway tests (showroom/channels). A package so its helpers import as `channels.support`."""
