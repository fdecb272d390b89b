"""The page tree: where editors may create which pages."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from articles.models import ArticleIndexPage
from events.models import EventIndexPage
from pages.models import AssociationDataPage, ContentPage, MissionPage, SupportPage
from tests.factories import content_page_form_data, mission_page_form_data

# Pages that may sit under the mission page or a content page.
CHILD_PAGES = {ContentPage, AssociationDataPage, SupportPage}


class PageTreeRulesTests(WagtailPageTestCase):
    def test_mission_page_sits_at_the_top_of_the_tree(self):
        self.assertCanCreateAt(Page, MissionPage)
        self.assertAllowedParentPageTypes(MissionPage, {Page})

    def test_mission_page_holds_content_data_support_pages_the_events_and_the_article_index(self):
        self.assertAllowedSubpageTypes(
            MissionPage, CHILD_PAGES | {EventIndexPage, ArticleIndexPage}
        )
        self.assertCanCreateAt(MissionPage, ContentPage)
        self.assertCanNotCreateAt(MissionPage, MissionPage)

    def test_content_pages_nest_but_never_hold_a_mission_page(self):
        self.assertAllowedSubpageTypes(ContentPage, CHILD_PAGES)
        self.assertAllowedParentPageTypes(ContentPage, {MissionPage, ContentPage})
        self.assertCanNotCreateAt(Page, ContentPage)

    def test_there_is_only_one_mission_page(self):
        self.assertEqual(MissionPage.max_count, 1)


class PagesRenderAndEditTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from django.core.management import call_command

        call_command("load_association_content", verbosity=0)
        cls.mission_page = MissionPage.objects.get()
        cls.volunteering_page = cls.mission_page.add_child(
            instance=ContentPage(
                title="Zasady wolontariatu",
                slug="zasady-wolontariatu",
                introduction="Jak działamy razem.",
                body=[("heading", "Kto może pomagać"), ("paragraph", "<p>Każdy.</p>")],
            )
        )

    def test_mission_page_renders_and_is_editable(self):
        self.assertPageIsRenderable(self.mission_page)
        # StreamFields are drawn by the admin's JavaScript, so the POST data is built by hand.
        self.assertPageIsEditable(self.mission_page, mission_page_form_data(self.mission_page))

    def test_content_page_renders_and_is_editable(self):
        self.assertPageIsRenderable(self.volunteering_page)
        self.assertPageIsEditable(
            self.volunteering_page, content_page_form_data(self.volunteering_page)
        )

    def test_content_page_shows_its_blocks(self):
        response = self.client.get(self.volunteering_page.url)
        self.assertContains(response, "<h1>Zasady wolontariatu</h1>", html=True)
        self.assertContains(response, "<h2>Kto może pomagać</h2>", html=True)
        self.assertContains(response, "Jak działamy razem.")
