// SecretScanner
