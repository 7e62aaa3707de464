// GitRepository
