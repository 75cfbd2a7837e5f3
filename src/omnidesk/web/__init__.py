"""Server-rendered agent workspace, login and admin pages."""
