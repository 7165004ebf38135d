"""The outside world that is not our tables: the model, real-time delivery, passwords, tokens."""
