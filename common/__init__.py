"""What both index/ and qa/ stand on: the settings and the errors a user sees."""
