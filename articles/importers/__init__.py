"""Moving a site in: WordPress and Ghost exports read into stories, pages and redirects."""
