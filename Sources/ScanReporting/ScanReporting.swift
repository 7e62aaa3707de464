// ScanReporting
