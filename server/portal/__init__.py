"""The regional portal's pages (MesPatients, télémédecine, inscription): small French HTML pages
that the desktop app opens in the browser, logged in by a one-time code."""
