"""Jobs: the job lifecycle and store, the queue, the running of one job, fair share and guards."""
