"""Built-in demo campaign: content written from the seed documents, loaded by campaign.services.demo."""
