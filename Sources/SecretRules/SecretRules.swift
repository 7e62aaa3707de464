// SecretRules
